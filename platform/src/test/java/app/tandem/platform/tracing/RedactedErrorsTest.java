package app.tandem.platform.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactedErrorsTest {

    @Test
    void theHandlersAfterItSeeAFailureWithoutItsMessage() {
        SeenError seen = new SeenError();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new RedactedErrors()).observationHandler(seen);

        Observation.start("work", registry)
                .error(new IllegalStateException("duplicate key alex-1234", new IllegalArgumentException("note: a hard day")))
                .stop();

        assertThat(seen.get().toString()).isEqualTo(IllegalStateException.class.getName());
        assertThat(seen.get().getCause().toString()).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(seen.get().getStackTrace()).isNotEmpty();
    }
}
