package app.tandem.platform.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class RedactedErrorsTest {

    @Test
    void theHandlersAfterItSeeAFailureWithoutItsMessage() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new RedactedErrors()).observationHandler(new ObservationHandler<>() {
            @Override
            public void onError(Observation.Context context) {
                seen.set(context.getError());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });

        Observation.start("work", registry)
                .error(new IllegalStateException("duplicate key alex-1234", new IllegalArgumentException("note: a hard day")))
                .stop();

        assertThat(seen.get().toString()).isEqualTo(IllegalStateException.class.getName());
        assertThat(seen.get().getCause().toString()).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(seen.get().getStackTrace()).isNotEmpty();
    }
}
