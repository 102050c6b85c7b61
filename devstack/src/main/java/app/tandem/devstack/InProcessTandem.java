package app.tandem.devstack;

import app.tandem.devservers.TemporaryFolders;
import app.tandem.care.CareApplication;
import app.tandem.gateway.GatewayApplication;
import app.tandem.gateway.web.WebEdge;
import app.tandem.journal.JournalApplication;
import app.tandem.notifications.NotificationsApplication;
import app.tandem.plans.PlansApplication;
import app.tandem.platform.time.SettableClock;
import app.tandem.testkit.DevTokenIssuer;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.LocalIdentities;
import app.tandem.testkit.RunningService;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every Tandem service in this JVM on the given Kafka and MongoDB, reached the way phones reach it: through the
 * gateway, with tokens from a development issuer. The services read {@link #clock}, real time unless a scenario
 * moves it forward; the gateway checks tokens, and the services assertions, against real time.
 */
public class InProcessTandem implements AutoCloseable {

    public final SettableClock clock = new SettableClock();
    public final DevTokenIssuer issuer = DevTokenIssuer.generate();
    public final ManagedChannel gateway;
    /** The gateway's address, for clients that open their own channel. */
    public final String gatewayTarget;
    /** The gateway's web app and gRPC-Web, {@code http://127.0.0.1:PORT/}, with the dev sign-in by name. */
    public final String webAddress;
    /** The gateway, as started here. */
    public final RunningService edge;
    /** The services behind the gateway, by name. */
    public final Map<String, RunningService> services = new LinkedHashMap<>();
    private final List<RunningService> running = new ArrayList<>();
    private final Path keys;
    private final ApplicationContextInitializer<ConfigurableApplicationContext> eachService;

    /** @param gatewayLimits the gateway's per-person limits ({@code tandem.gateway.limits.*}): scripts act faster than people */
    public InProcessTandem(String mongoUri, String kafkaBootstrapServers, Map<String, Object> gatewayLimits) {
        this(mongoUri, kafkaBootstrapServers, gatewayLimits, context -> {
        });
    }

    /** @param eachService applied to every service's and the gateway's context before it starts (a test's beans or settings) */
    public InProcessTandem(String mongoUri, String kafkaBootstrapServers, Map<String, Object> gatewayLimits,
                           ApplicationContextInitializer<ConfigurableApplicationContext> eachService) {
        this.eachService = eachService;
        try {
            keys = Files.createTempDirectory("tandem-keys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path jwks = keys.resolve("jwks.json");
        issuer.writeJwks(jwks);
        // couple milestones are looked at daily; scenarios move the clock days in seconds, so look every second
        RunningService journal = start(JournalApplication.NAME, JournalApplication.class, mongoUri, kafkaBootstrapServers,
                Map.of("tandem.journal.milestone-poll-interval", "1s"));
        start(PlansApplication.NAME, PlansApplication.class, mongoUri, kafkaBootstrapServers,
                Map.of("tandem.plans.journal-target", "127.0.0.1:" + journal.port(), "tandem.plans.timers.week-poll-interval", "1s"));
        start(NotificationsApplication.NAME, NotificationsApplication.class, mongoUri, kafkaBootstrapServers,
                Map.of("tandem.notifications.journal-target", "127.0.0.1:" + journal.port(),
                        // as in the devstack: webhook receivers of tests listen on this machine
                        "tandem.notifications.allow-local-webhooks", true));
        start(CareApplication.NAME, CareApplication.class, mongoUri, kafkaBootstrapServers,
                // consents whose date came end within a second, as the tests and benches expect
                Map.of("tandem.care.journal-target", "127.0.0.1:" + journal.port(), "tandem.care.expiry-poll-interval", "1s"));
        Map<String, Integer> ports = new LinkedHashMap<>();
        services.forEach((name, service) -> ports.put(name, service.port()));
        Map<String, Object> edgeSettings = new HashMap<>(LocalIdentities.shared().gatewaySettings(jwks, "127.0.0.1", ports));
        edgeSettings.put("spring.grpc.server.port", 0);
        edgeSettings.put("tandem.gateway.web-port", 0);
        edgeSettings.putAll(gatewayLimits);
        this.edge = RunningService.startStateless(GatewayApplication.NAME, GatewayApplication.class, edgeSettings, context -> {
            eachService.initialize(context);
            context.getBeanFactory().registerSingleton("devSignIn", new DevSignIn(issuer));
        });
        running.add(this.edge);
        gatewayTarget = "127.0.0.1:" + this.edge.port();
        gateway = ManagedChannelBuilder.forTarget(gatewayTarget).usePlaintext().build();
        webAddress = "http://127.0.0.1:" + this.edge.bean(WebEdge.class).port() + "/";
    }

    private RunningService start(String name, Class<?> application, String mongoUri, String kafka, Map<String, Object> own) {
        Map<String, Object> settings = new HashMap<>(EmbeddedStack.serviceProperties(name, mongoUri, kafka));
        settings.putAll(own);
        RunningService service = RunningService.start(name, application, settings, clock, eachService);
        running.add(service);
        services.put(name, service);
        return service;
    }

    @Override
    public void close() {
        gateway.shutdownNow();
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        running.clear();
        TemporaryFolders.delete(keys);
    }
}
