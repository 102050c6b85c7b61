package app.tandem.plans;

import app.tandem.testkit.RunningService;
import app.tandem.platform.kafka.IntegrationEventConsumer;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A service whose consumer of integration events stops answers the standard health check NOT_SERVING. */
class ConsumerHealthTest {

    @Test
    void aServiceWhoseConsumerStoppedIsNotServing() {
        Map<String, Object> settings = new HashMap<>(PlansTestSupport.properties());
        settings.put("spring.grpc.server.health.schedule.delay", "100ms");
        settings.put("spring.grpc.server.health.schedule.period", "200ms");
        try (RunningService plans = RunningService.start(PlansApplication.NAME, PlansApplication.class, settings, Clock.systemUTC())) {
            var health = HealthGrpc.newBlockingStub(plans.channel());
            await().atMost(Duration.ofSeconds(20)).until(() -> status(health) == HealthCheckResponse.ServingStatus.SERVING);

            plans.bean(IntegrationEventConsumer.class).stop();

            await().atMost(Duration.ofSeconds(20)).until(() -> status(health) == HealthCheckResponse.ServingStatus.NOT_SERVING);
            assertThat(status(health)).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
        }
    }

    private static HealthCheckResponse.ServingStatus status(HealthGrpc.HealthBlockingStub health) {
        return health.withDeadlineAfter(5, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }
}
