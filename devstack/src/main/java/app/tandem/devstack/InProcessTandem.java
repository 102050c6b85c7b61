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
import java.util.stream.Collectors;

/**
 * Every Tandem service in this JVM on the given Kafka and MongoDB, reached the way phones reach it: through the
 * gateway, with tokens from a development issuer. The services read {@link #clock}, real time unless a scenario
 * moves it forward; the gateway checks tokens, and the services assertions, against real time. Each service may run
 * in several replicas, which share the clock, the database and the consumer group as replicas in separate processes
 * would, the gateway's calls going round robin over them.
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
    /** The services behind the gateway, by name: the first replica of each, which shares its database with the others. */
    public final Map<String, RunningService> services = new LinkedHashMap<>();
    /** Every replica of each service, by the service's name. */
    public final Map<String, List<RunningService>> replicas = new LinkedHashMap<>();
    private final int replicaCount;
    private final List<RunningService> running = new ArrayList<>();
    private final Path keys;
    private final ApplicationContextInitializer<ConfigurableApplicationContext> eachService;

    /** @param gatewayLimits the gateway's per-person limits ({@code tandem.gateway.limits.*}): scripts act faster than people */
    public InProcessTandem(String mongoUri, String kafkaBootstrapServers, Map<String, Object> gatewayLimits) {
        this(mongoUri, kafkaBootstrapServers, gatewayLimits, 1, context -> {
        });
    }

    /**
     * @param replicas    instances of each service, behind the gateway as the devstack's {@code --replicas} puts them
     * @param eachService applied to every service's and the gateway's context before it starts (a test's beans or settings)
     */
    public InProcessTandem(String mongoUri, String kafkaBootstrapServers, Map<String, Object> gatewayLimits, int replicas,
                           ApplicationContextInitializer<ConfigurableApplicationContext> eachService) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be 1 or more");
        }
        this.eachService = eachService;
        this.replicaCount = replicas;
        try {
            keys = Files.createTempDirectory("tandem-keys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path jwks = keys.resolve("jwks.json");
        issuer.writeJwks(jwks);
        // couple milestones are looked at daily; scenarios move the clock days in seconds, so look every second
        String journal = start(JournalApplication.NAME, JournalApplication.class, mongoUri, kafkaBootstrapServers,
                Map.of("tandem.journal.milestone-poll-interval", "1s"));
        start(PlansApplication.NAME, PlansApplication.class, mongoUri, kafkaBootstrapServers,
                Map.of("tandem.plans.journal-target", journal, "tandem.plans.timers.week-poll-interval", "1s"));
        // a stream open on one replica learns of what another replica delivered at its next look: scenarios wait for
        // prompts in seconds, so look every 100 ms rather than every 2 s
        start(NotificationsApplication.NAME, NotificationsApplication.class, mongoUri, kafkaBootstrapServers,
                Map.of("tandem.notifications.journal-target", journal, "tandem.notifications.stream-poll-interval", "100ms",
                        // as in the devstack: webhook receivers of tests listen on this machine
                        "tandem.notifications.allow-local-webhooks", true));
        start(CareApplication.NAME, CareApplication.class, mongoUri, kafkaBootstrapServers,
                // consents whose date came end within a second, as the tests and benches expect
                Map.of("tandem.care.journal-target", journal, "tandem.care.expiry-poll-interval", "1s",
                        "tandem.care.stream-poll-interval", "100ms"));
        Map<String, Integer> ports = new LinkedHashMap<>();
        services.forEach((name, service) -> ports.put(name, service.port()));
        Map<String, Object> edgeSettings = new HashMap<>(LocalIdentities.shared().gatewaySettings(jwks, "127.0.0.1", ports));
        // every replica of each service, the gateway's calls going round robin over them
        this.replicas.forEach((name, instances) -> edgeSettings.put("tandem.gateway.targets." + name, targets(instances)));
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

    /**
     * Starts every replica of a service on one database, consumer group and master key, each with the identities
     * separate processes would have: its own name for the segments it claims and its own static group membership.
     *
     * @return the replicas' addresses, as a caller's target lists them
     */
    private String start(String name, Class<?> application, String mongoUri, String kafka, Map<String, Object> own) {
        Map<String, Object> common = new HashMap<>(EmbeddedStack.serviceProperties(name, mongoUri, kafka));
        common.putAll(own);
        // the replicas share the partitions: consumer threads beyond one per partition would only wait in this JVM
        int partitions = Integer.parseInt(common.get("tandem.kafka.partitions").toString());
        common.put("tandem.kafka.consumer-threads", Math.max(1, (partitions + replicaCount - 1) / replicaCount));
        List<RunningService> instances = new ArrayList<>();
        for (int replica = 1; replica <= replicaCount; replica++) {
            String instance = replica == 1 ? name : name + "-" + replica; // as the devstack names them
            Map<String, Object> settings = new HashMap<>(common);
            settings.put("tandem.event-store.replica-id", instance);
            settings.put("tandem.kafka.instance-id", common.get("tandem.kafka.consumer-group") + "." + instance);
            RunningService service = RunningService.start(name, application, settings, clock, eachService);
            running.add(service);
            instances.add(service);
        }
        services.put(name, instances.get(0));
        replicas.put(name, List.copyOf(instances));
        return targets(instances);
    }

    private static String targets(List<RunningService> instances) {
        return instances.stream().map(service -> "127.0.0.1:" + service.port()).collect(Collectors.joining(","));
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
