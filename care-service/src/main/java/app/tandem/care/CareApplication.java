package app.tandem.care;

import app.tandem.platform.TandemApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Counselors' consent-gated access: partners' consents (consent/), the counselor's feed of consented items, fed by
 * the journal's integration events (feed/), and the accounting of every disclosure (disclosure/).
 */
@SpringBootApplication
public class CareApplication {

    public static final String NAME = "care-service";

    public static void main(String[] args) {
        TandemApplication.run(NAME, CareApplication.class, args);
    }
}
