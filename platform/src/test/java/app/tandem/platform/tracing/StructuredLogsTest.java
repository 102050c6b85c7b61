package app.tandem.platform.tracing;

import app.tandem.platform.TandemApplication;
import app.tandem.platform.logging.RequestIds;
import io.grpc.ServerCall;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** A service running as its own process writes one JSON object a line, with the ids that tie it to a trace and a request. */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsTest {

    @SpringBootApplication
    static class Quiet {
    }

    /** The logging system is the JVM's: the tests after this one log in plain text again, as they did before. */
    @AfterAll
    static void readableAgain() {
        System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
        LoggingSystem logging = LoggingSystem.get(StructuredLogsTest.class.getClassLoader());
        logging.cleanUp();
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
    }

    @Test
    void aLogLineIsJsonWithTheTraceSpanAndRequestIds(CapturedOutput output) {
        try (ConfigurableApplicationContext context = TandemApplication.statelessBuilder("log-test", Quiet.class)
                .properties(TandemApplication.STRUCTURED_LOGS)
                .run("--spring.grpc.server.port=0", "--management.tracing.sampling.probability=1.0")) {
            Tracer tracer = context.getBean(Tracer.class);
            Observation observation = Observation.start("test.work", context.getBean(ObservationRegistry.class));
            String traceId;
            String spanId;
            try (Observation.Scope ignored = observation.openScope()) {
                traceId = tracer.currentSpan().context().traceId();
                spanId = tracer.currentSpan().context().spanId();
                // as a gRPC call's code runs
                ServerCall.Listener<Object> endpoint = new ServerCall.Listener<>() {
                    @Override
                    public void onHalfClose() {
                        LoggerFactory.getLogger(StructuredLogsTest.class).info("recorded the work");
                    }
                };
                RequestIds.inLogs("request-7", () -> endpoint).onHalfClose();
            } finally {
                observation.stop();
            }

            String line = output.getOut().lines().filter(l -> l.contains("recorded the work")).findFirst().orElseThrow();
            JsonNode json = JsonMapper.builder().build().readTree(line);
            assertThat(json.path("message").asString()).as(line).isEqualTo("recorded the work");
            assertThat(json.path("service").path("name").asString()).as(line).isEqualTo("log-test");
            assertThat(json.path("traceId").asString()).as(line).isEqualTo(traceId);
            assertThat(json.path("spanId").asString()).as(line).isEqualTo(spanId);
            assertThat(json.path(RequestIds.MDC_KEY).asString()).as(line).isEqualTo("request-7");
        }
    }
}
