package app.tandem.plans;

import app.tandem.platform.TandemApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Boundaries, the couple's safety plan and the relapse-response process (feature folders boundary/, safetyplan/,
 * relapse/), with its own view of couples learnt from the journal's integration events (membership/).
 */
@SpringBootApplication
public class PlansApplication {

    public static final String NAME = "plans-service";

    public static void main(String[] args) {
        TandemApplication.run(NAME, PlansApplication.class, args);
    }
}
