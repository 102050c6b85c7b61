package app.tandem.devstack;

import app.tandem.care.CareApplication;
import app.tandem.gateway.GatewayApplication;
import app.tandem.journal.JournalApplication;
import app.tandem.notifications.NotificationsApplication;
import app.tandem.plans.PlansApplication;
import app.tandem.devservers.EmbeddedKafka;
import app.tandem.devservers.EmbeddedMongo;
import app.tandem.testkit.LocalIdentities;
import app.tandem.testkit.ScriptedLoad;
import app.tandem.devservers.OwnerOnly;
import app.tandem.testkit.DevTokenIssuer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tandem on one machine: a Kafka broker (KRaft) and a MongoDB wire-protocol server on disk in this process, and
 * the four services as separate JVMs, each in {@link DevstackSettings#replicas} instances sharing its database. Each part
 * can be stopped and started again on its own port and data, as the chaos benchmark does: a service by SIGKILL, the
 * broker and the database server in order. The first instance of a service is named as the service, the n-th
 * {@code <service>-n}.
 */
public final class LocalTandem implements AutoCloseable {

    public static final List<String> SERVICES = List.of(JournalApplication.NAME, PlansApplication.NAME, NotificationsApplication.NAME,
            GatewayApplication.NAME);

    private record Launch(String mainClass, int port, int managementPort, Map<String, String> settings) {
    }

    private final DevstackSettings settings;
    private final Map<String, Launch> launches = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> running = Collections.synchronizedMap(new LinkedHashMap<>());
    private EmbeddedMongo mongo;
    private EmbeddedKafka kafka;

    private LocalTandem(DevstackSettings settings) {
        this.settings = settings;
    }

    /** Starts everything and returns once every service answers its health check with SERVING. */
    public static LocalTandem start(DevstackSettings settings) throws IOException, InterruptedException {
        LocalTandem tandem = new LocalTandem(settings);
        try {
            tandem.startAll();
            return tandem;
        } catch (IOException | InterruptedException | RuntimeException e) {
            tandem.close();
            throw e;
        }
    }

    private void startAll() throws IOException, InterruptedException {
        Files.createDirectories(settings.dataDir());
        String masterKey = masterKey(settings.dataDir().resolve("master.key"));
        DevTokenIssuer.inFolder(settings.dataDir());
        LocalIdentities identities = LocalIdentities.inFolder(settings.dataDir().resolve("identity"));
        startMongo();
        startKafka();

        Map<String, String> shared = new HashMap<>();
        shared.put("spring.mongodb.uri", mongo.connectionString());
        shared.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        // one broker: every topic has one replica
        shared.put("tandem.kafka.replication-factor", "1");
        shared.put("tandem.kafka.min-insync-replicas", "1");
        shared.put("tandem.crypto.master-key", masterKey);
        shared.put("spring.grpc.server.address", settings.host());
        shared.put("spring.grpc.server.reflection.enabled", "true");

        String journalTargets = targets(settings.journalPort());
        plan(JournalApplication.NAME, JournalApplication.class, settings.journalPort(), settings.journalManagementPort(), with(shared, identities.serviceProperties(JournalApplication.NAME)));
        Map<String, String> plans = with(shared, identities.serviceProperties(PlansApplication.NAME));
        plans.put("tandem.plans.journal-target", journalTargets);
        plan(PlansApplication.NAME, PlansApplication.class, settings.plansPort(), settings.plansManagementPort(), plans);
        Map<String, String> notifications = with(shared, identities.serviceProperties(NotificationsApplication.NAME));
        notifications.put("tandem.notifications.journal-target", journalTargets);
        notifications.put("tandem.notifications.allow-local-webhooks", "true"); // a developer's receivers run on this machine
        if (settings.scriptedLoad()) {
            notifications.putAll(with(Map.of(), ScriptedLoad.promptLimits()));
        }
        plan(NotificationsApplication.NAME, NotificationsApplication.class, settings.notificationsPort(), settings.notificationsManagementPort(), notifications);
        Map<String, String> care = with(shared, identities.serviceProperties(CareApplication.NAME));
        care.put("tandem.care.journal-target", journalTargets);
        plan(CareApplication.NAME, CareApplication.class, settings.carePort(), settings.careManagementPort(), care);
        Map<String, String> gateway = with(Map.of(), identities.gatewaySettings(settings.jwks(), settings.host(), Map.of(
                JournalApplication.NAME, settings.journalPort(),
                NotificationsApplication.NAME, settings.notificationsPort(),
                PlansApplication.NAME, settings.plansPort(),
                CareApplication.NAME, settings.carePort())));
        // every replica of each service, the gateway's calls going round robin over them
        gateway.put("tandem.gateway.targets." + JournalApplication.NAME, journalTargets);
        gateway.put("tandem.gateway.targets." + PlansApplication.NAME, targets(settings.plansPort()));
        gateway.put("tandem.gateway.targets." + NotificationsApplication.NAME, targets(settings.notificationsPort()));
        gateway.put("tandem.gateway.targets." + CareApplication.NAME, targets(settings.carePort()));
        gateway.put("spring.grpc.server.address", settings.host());
        gateway.put("spring.grpc.server.reflection.enabled", "true");
        gateway.put("tandem.gateway.web-port", Integer.toString(settings.webPort()));
        // the web app's sign-in by name, signed with this data folder's dev issuer key
        gateway.put("spring.main.sources", DevSignIn.FromDataFolder.class.getName());
        gateway.put("tandem.devstack.data", settings.dataDir().toString());
        if (settings.scriptedLoad()) {
            gateway.putAll(with(Map.of(), ScriptedLoad.gatewayLimits(100_000_000, 1_000_000)));
        }
        launches.put(GatewayApplication.NAME, launch(GatewayApplication.class, settings.gatewayPort(), settings.gatewayManagementPort(), gateway));

        for (String service : launches.keySet()) {
            launch(service);
        }
        for (String service : launches.keySet()) {
            awaitServing(service, Duration.ofMinutes(3));
        }
    }

    /** Each replica of a service: the n-th on the ports plus (n - 1) offsets, with a Kafka group membership of its own. */
    private void plan(String name, Class<?> application, int port, int managementPort, Map<String, String> common) {
        for (int replica = 1; replica <= settings.replicas(); replica++) {
            int shift = (replica - 1) * settings.replicaPortOffset();
            Map<String, String> own = new HashMap<>(common);
            if (replica > 1) {
                own.put("tandem.kafka.instance-id", name + "-" + replica);
            }
            launches.put(replica == 1 ? name : name + "-" + replica,
                    launch(application, port + shift, managementPort == 0 ? 0 : managementPort + shift, own));
        }
    }

    /** {@code managementPort} 0: a random one, left to the service's default. */
    private Launch launch(Class<?> application, int port, int managementPort, Map<String, String> common) {
        Map<String, String> own = new HashMap<>(common);
        own.put("spring.grpc.server.port", Integer.toString(port));
        own.put("server.address", settings.host()); // the management port's
        if (managementPort != 0) {
            own.put("management.server.port", Integer.toString(managementPort));
        }
        return new Launch(application.getName(), port, managementPort, own);
    }

    /** Every replica of the service whose first one listens on {@code port}, as host:port separated by commas. */
    private String targets(int port) {
        List<String> targets = new ArrayList<>();
        for (int replica = 0; replica < settings.replicas(); replica++) {
            targets.add(settings.host() + ":" + (port + replica * settings.replicaPortOffset()));
        }
        return String.join(",", targets);
    }

    /** Starts {@code service} (an instance's name) in a JVM of its own with the settings it had before; see {@link #awaitServing}. */
    public void launch(String service) throws IOException {
        Launch launch = launches.get(service);
        running.put(service, ServiceProcess.launch(service, launch.mainClass(), launch.port(), settings.serviceHeap(),
                settings.dataDir().resolve("logs"), launch.settings()));
    }

    public void awaitServing(String service, Duration timeout) throws InterruptedException {
        running.get(service).awaitServing(settings.host(), timeout);
    }

    /** SIGKILL: the service gets no chance to finish anything it was doing. */
    public void kill(String service) throws InterruptedException {
        running.remove(service).kill();
    }

    public void startMongo() {
        mongo = EmbeddedMongo.onDisk(settings.dataDir().resolve("mongo").resolve("tandem.mv"), settings.host(), settings.mongoPort());
    }

    /** Shuts the Mongo-wire server down in order; its data stays on disk for {@link #startMongo}. */
    public void stopMongo() {
        mongo.close();
        mongo = null;
    }

    public void startKafka() {
        kafka = EmbeddedKafka.onDisk(settings.dataDir().resolve("kafka"), settings.host(), settings.kafkaPort(), 6);
    }

    /** Shuts the broker down in order; its log stays on disk for {@link #startKafka}. */
    public void stopKafka() {
        kafka.close();
        kafka = null;
    }

    public int port(String service) {
        return launches.get(service).port();
    }

    /** Where the service answers {@code /actuator/health} and {@code /actuator/prometheus}; 0 when random. */
    public int managementPort(String service) {
        return launches.get(service).managementPort();
    }

    public String mongoUri() {
        return "mongodb://" + settings.host() + ":" + settings.mongoPort();
    }

    public String kafkaBootstrapServers() {
        return settings.host() + ":" + settings.kafkaPort();
    }

    public Map<String, Path> logs() {
        Map<String, Path> logs = new LinkedHashMap<>();
        running.forEach((name, process) -> logs.put(name, process.log()));
        return logs;
    }

    /** Stops the gateway, then every service at once (SIGTERM each), then the broker, then the database server. */
    @Override
    public void close() {
        ServiceProcess gateway = running.get(GatewayApplication.NAME);
        List<ServiceProcess> services;
        synchronized (running) {
            services = running.values().stream().filter(service -> service != gateway).toList();
        }
        try {
            if (gateway != null) {
                gateway.stop(); // no call comes in while the services stop
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            services.forEach(ServiceProcess::terminate);
        }
        try {
            for (ServiceProcess service : services) {
                service.awaitExit();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.clear();
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (mongo != null) {
            mongo.close();
            mongo = null;
        }
    }

    private static Map<String, String> with(Map<String, String> common, Map<String, Object> own) {
        Map<String, String> settings = new HashMap<>(common);
        own.forEach((key, value) -> settings.put(key, value.toString()));
        return settings;
    }

    /** The key that wraps every person's key; made once per data folder and kept with it. */
    private static String masterKey(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String encoded = Base64.getEncoder().encodeToString(key);
        Files.writeString(file, encoded);
        OwnerOnly.restrict(file);
        return encoded;
    }
}
