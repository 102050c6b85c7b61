package app.tandem.platform.tracing;

import app.tandem.platform.TandemApplication;
import app.tandem.platform.logging.Redacted;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.concurrent.TimeUnit;

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

    @Test
    void anExportedSpanCarriesTheFailuresClassButNotItsMessage() {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        SpanData span;
        try (ConfigurableApplicationContext context = TandemApplication.statelessBuilder("tracing-test", Quiet.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("exported", exported))
                .run("--spring.grpc.server.port=0", "--management.tracing.sampling.probability=1.0")) {
            Observation.start("work", context.getBean(ObservationRegistry.class))
                    .error(new IllegalStateException("duplicate key alex-1234"))
                    .stop();
            context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
            span = exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals("work")).findFirst().orElseThrow();
        }
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.toString()).doesNotContain("alex-1234").contains(IllegalStateException.class.getName());
    }
}
