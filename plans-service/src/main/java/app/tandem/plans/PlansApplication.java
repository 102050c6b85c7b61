package app.tandem.plans;

import app.tandem.platform.TandemApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Boundaries, the couple's safety plan and the relapse-response process. It runs on the same event store
 * and bridge as the other services; its capabilities are built feature by feature.
 */
@SpringBootApplication
public class PlansApplication {

    public static final String NAME = "plans-service";

    public static void main(String[] args) {
        TandemApplication.run(NAME, PlansApplication.class, args);
    }
}
