package app.tandem.notifications;

import app.tandem.platform.TandemApplication;
import app.tandem.platform.WithoutEventStore;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Prompts for the right partner at the right moment, and the inbox they arrive in. */
@SpringBootApplication
@WithoutEventStore
public class NotificationsApplication {

    public static final String NAME = "notifications-service";

    public static void main(String[] args) {
        TandemApplication.run(NAME, NotificationsApplication.class, args);
    }
}
