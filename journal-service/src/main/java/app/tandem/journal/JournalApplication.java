package app.tandem.journal;

import app.tandem.platform.TandemApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Couples, check-ins and consent: the shared journal. */
@SpringBootApplication
public class JournalApplication {

    public static final String NAME = "journal-service";

    public static void main(String[] args) {
        TandemApplication.run(NAME, JournalApplication.class, args);
    }
}
