package app.tandem.platform.tracing;

import app.tandem.platform.TandemApplication;
import app.tandem.platform.logging.Redacted;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

class TracingConfigurationTest {

    @SpringBootApplication
    static class Quiet {
    }

    @Test
    void failuresReachTheObservationHandlersWithoutTheirMessages() {
        SeenError last = new SeenError();
        try (ConfigurableApplicationContext context = TandemApplication.statelessBuilder("tracing-test", Quiet.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("last", last))
                .run("--spring.grpc.server.port=0", "--management.tracing.sampling.probability=1.0")) {
            Observation.start("work", context.getBean(ObservationRegistry.class))
                    .error(new IllegalStateException("duplicate key alex-1234"))
                    .stop();
        }
        assertThat(last.get()).isInstanceOf(Redacted.class).hasMessage(IllegalStateException.class.getName());
    }
}
