package app.tandem.devstack;

import app.tandem.gateway.GatewayApplication;
import app.tandem.journal.JournalApplication;
import app.tandem.notifications.NotificationsApplication;
import app.tandem.plans.PlansApplication;
import app.tandem.platform.embedded.EmbeddedStack;
import app.tandem.platform.embedded.RunningService;
import app.tandem.platform.security.DevTokenIssuer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every Tandem service in this JVM on the given Kafka and MongoDB, reached the way phones reach it: through the
 * gateway, with tokens from a development issuer. The services read {@code clock}; the gateway checks tokens
 * against real time.
 */
final class TandemUnderTest implements AutoCloseable {

    private final List<RunningService> running = new ArrayList<>();
    final DevTokenIssuer issuer = DevTokenIssuer.generate();
    final ManagedChannel gateway;

    TandemUnderTest(String mongoUri, String kafkaBootstrapServers, Path keys, Clock clock) {
        Path jwks = keys.resolve("jwks.json");
        issuer.writeJwks(jwks);
        RunningService journal = start(JournalApplication.NAME, JournalApplication.class, mongoUri, kafkaBootstrapServers, clock);
        RunningService plans = start(PlansApplication.NAME, PlansApplication.class, mongoUri, kafkaBootstrapServers, clock);
        Map<String, Object> notificationSettings = new HashMap<>(EmbeddedStack.serviceProperties(NotificationsApplication.NAME, mongoUri, kafkaBootstrapServers));
        notificationSettings.put("tandem.notifications.journal-target", "127.0.0.1:" + journal.port());
        RunningService notifications = RunningService.start(NotificationsApplication.NAME, NotificationsApplication.class, notificationSettings, clock);
        running.add(notifications);
        Map<String, Object> edge = new HashMap<>();
        edge.put("spring.grpc.server.port", 0);
        edge.put("tandem.gateway.journal-target", "127.0.0.1:" + journal.port());
        edge.put("tandem.gateway.notifications-target", "127.0.0.1:" + notifications.port());
        edge.put("tandem.gateway.plans-target", "127.0.0.1:" + plans.port());
        edge.put("tandem.auth.jwks-uri", jwks.toUri().toString());
        edge.put("tandem.auth.issuer", DevTokenIssuer.ISSUER);
        RunningService edgeService = RunningService.startStateless(GatewayApplication.NAME, GatewayApplication.class, edge);
        running.add(edgeService);
        gateway = ManagedChannelBuilder.forAddress("127.0.0.1", edgeService.port()).usePlaintext().build();
    }

    private RunningService start(String name, Class<?> application, String mongoUri, String kafka, Clock clock) {
        RunningService service = RunningService.start(name, application, EmbeddedStack.serviceProperties(name, mongoUri, kafka), clock);
        running.add(service);
        return service;
    }

    GatewayClient person(String name) {
        return new GatewayClient(gateway, issuer, name + "-" + GatewayClient.key());
    }

    @Override
    public void close() {
        gateway.shutdownNow();
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        running.clear();
    }
}
