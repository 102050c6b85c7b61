package app.tandem.plans;

import app.tandem.testkit.RunningService;
import app.tandem.platform.kafka.IntegrationEventConsumer;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service whose consumer of integration events stops answers the standard health check NOT_SERVING, and its
 * Actuator health names the consumer; once the consumer runs again, both are up again.
 */
@ExtendWith(PlansTestSupport.RealJournal.Started.class)
class ConsumerHealthTest {

    @Test
    void aServiceWhoseConsumerStoppedIsNotServingUntilItRunsAgain() throws Exception {
        Map<String, Object> settings = new HashMap<>(PlansTestSupport.properties());
        settings.put("spring.grpc.server.health.schedule.delay", "100ms");
        settings.put("spring.grpc.server.health.schedule.period", "200ms");
        try (RunningService plans = RunningService.start(PlansApplication.NAME, PlansApplication.class, settings, Clock.systemUTC())) {
            var health = HealthGrpc.newBlockingStub(plans.channel());
            await().atMost(Duration.ofSeconds(20)).until(() -> status(health) == HealthCheckResponse.ServingStatus.SERVING);

            plans.bean(IntegrationEventConsumer.class).stop();

            await().atMost(Duration.ofSeconds(20)).until(() -> status(health) == HealthCheckResponse.ServingStatus.NOT_SERVING);
            assertThat(status(health)).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
            assertThat(actuatorHealth(plans)).contains("\"integrationEvents\":{\"status\":\"DOWN\"}");

            plans.bean(IntegrationEventConsumer.class).start();

            await().atMost(Duration.ofSeconds(20)).until(() -> status(health) == HealthCheckResponse.ServingStatus.SERVING);
            assertThat(actuatorHealth(plans)).startsWith("{\"components\"").contains("\"integrationEvents\":{\"status\":\"UP\"}")
                    .contains("\"database\":{\"status\":\"UP\"}", "\"eventProcessors\":{\"status\":\"UP\"}").endsWith("\"status\":\"UP\"}");
        }
    }

    /** What a probe of {@code /actuator/health} reads, on the service's management port. */
    private static String actuatorHealth(RunningService service) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + service.managementPort() + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static HealthCheckResponse.ServingStatus status(HealthGrpc.HealthBlockingStub health) {
        return health.withDeadlineAfter(5, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }
}
