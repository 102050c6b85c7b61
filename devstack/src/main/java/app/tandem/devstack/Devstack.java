package app.tandem.devstack;

import app.tandem.gateway.GatewayApplication;
import app.tandem.journal.JournalApplication;
import app.tandem.notifications.NotificationsApplication;
import app.tandem.plans.PlansApplication;
import app.tandem.platform.embedded.EmbeddedKafka;
import app.tandem.platform.embedded.EmbeddedMongo;
import app.tandem.api.v1.Role;
import app.tandem.platform.embedded.LocalIdentities;
import app.tandem.platform.embedded.OwnerOnly;
import app.tandem.platform.security.DevTokenIssuer;
import app.tandem.platform.security.Roles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Tandem on one machine: a Kafka broker (KRaft) and a MongoDB wire-protocol server on disk in this process,
 * and the four services as separate JVMs. Ctrl-C stops everything in order.
 *
 * <pre>
 *   up                 start everything (default)
 *   token [--role R] [--org O] PERSON_ID
 *                      print a bearer token for PERSON_ID from the dev issuer (role partner, counselor or operator)
 *   demo               walk through the shared check-in slice against a running devstack
 *   stop               stop a devstack running in the background, in order
 * </pre>
 */
public final class Devstack {

    private static final String PID_FILE = "devstack.pid";

    private final DevstackSettings settings;
    private final List<ServiceProcess> services = Collections.synchronizedList(new ArrayList<>());
    private EmbeddedMongo mongo;
    private EmbeddedKafka kafka;

    private Devstack(DevstackSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        // the console shows the devstack's progress; each service logs to its own file
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        String command = args.length > 0 && !args[0].startsWith("--") ? args[0] : "up";
        DevstackSettings settings = DevstackSettings.parse(args);
        switch (command) {
            case "up" -> new Devstack(settings).up();
            case "token" -> System.out.println(token(settings, Arrays.copyOfRange(args, 1, args.length)));
            case "demo" -> Demo.run(settings);
            case "stop" -> stop(settings);
            default -> {
                System.err.println("unknown command " + command + "; use up, token, demo or stop");
                System.exit(2);
            }
        }
    }

    /** {@code [--role R] [--org O] PERSON_ID}: a token from the dev issuer; a counselor's names their organisation. */
    private static String token(DevstackSettings settings, String[] args) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        String organisation = null;
        String person = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.equals("--role") || name.equals("--org")) {
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : i + 1 < args.length ? args[++i] : "";
                if (name.equals("--org")) {
                    organisation = value;
                } else {
                    roles.add(Roles.fromClaim(value).filter(r -> r != Role.ROLE_SERVICE)
                            .orElseThrow(() -> usage("unknown role " + value + "; use partner, counselor or operator")));
                }
            } else if (!arg.startsWith("--")) {
                person = arg;
            }
        }
        if (person == null) {
            throw usage("token [--role partner|counselor|operator] [--org ORGANISATION] PERSON_ID");
        }
        if (roles.contains(Role.ROLE_COUNSELOR) && (organisation == null || organisation.isBlank())) {
            throw usage("a counselor's token names their organisation: --org ORGANISATION");
        }
        return DevTokenIssuer.inFolder(settings.dataDir()).issue(person, roles.isEmpty() ? Set.of(Role.ROLE_PARTNER) : roles, organisation,
                Duration.ofHours(12));
    }

    private static IllegalArgumentException usage(String message) {
        System.err.println("usage: " + message);
        System.exit(2);
        return new IllegalArgumentException(message);
    }

    /** SIGTERM to the devstack that wrote its process id in the data folder, then waits for it to finish stopping. */
    private static void stop(DevstackSettings settings) throws Exception {
        Path pidFile = settings.dataDir().resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            System.out.println("no devstack is running from " + settings.dataDir());
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        var running = ProcessHandle.of(pid);
        if (running.isEmpty()) {
            Files.deleteIfExists(pidFile);
            System.out.println("no devstack is running from " + settings.dataDir());
            return;
        }
        running.get().destroy();
        running.get().onExit().get(2, java.util.concurrent.TimeUnit.MINUTES);
        System.out.println("[devstack] stopped");
    }

    private void up() throws Exception {
        Files.createDirectories(settings.dataDir());
        Path pidFile = settings.dataDir().resolve(PID_FILE);
        if (Files.exists(pidFile) && ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).map(ProcessHandle::isAlive).orElse(false)) {
            System.err.println("a devstack is already running from " + settings.dataDir() + "; ./devstack/tandem stop stops it");
            System.exit(1);
        }
        Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));
        String masterKey = masterKey(settings.dataDir().resolve("master.key"));
        DevTokenIssuer.inFolder(settings.dataDir());
        LocalIdentities identities = LocalIdentities.inFolder(settings.dataDir().resolve("identity"));
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "devstack-shutdown"));

        mongo = EmbeddedMongo.onDisk(settings.dataDir().resolve("mongo").resolve("tandem.mv"), settings.host(), settings.mongoPort());
        kafka = EmbeddedKafka.onDisk(settings.dataDir().resolve("kafka"), settings.host(), settings.kafkaPort(), 6);
        log("MongoDB wire server  " + mongo.connectionString() + "  (data in " + settings.dataDir().resolve("mongo") + ")");
        log("Kafka broker (KRaft) " + kafka.bootstrapServers() + "  (log in " + settings.dataDir().resolve("kafka") + ")");

        Map<String, String> shared = new HashMap<>();
        shared.put("tandem.mongo.uri", mongo.connectionString());
        shared.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        // one broker: every topic has one replica
        shared.put("tandem.kafka.replication-factor", "1");
        shared.put("tandem.kafka.min-insync-replicas", "1");
        shared.put("tandem.crypto.master-key", masterKey);
        shared.put("spring.grpc.server.address", settings.host());
        shared.put("spring.grpc.server.reflection.enabled", "true");
        Path logs = settings.dataDir().resolve("logs");

        launch(JournalApplication.NAME, JournalApplication.class, settings.journalPort(), with(shared, identities.serviceProperties(JournalApplication.NAME)), logs);
        launch(PlansApplication.NAME, PlansApplication.class, settings.plansPort(), with(shared, identities.serviceProperties(PlansApplication.NAME)), logs);
        Map<String, String> notifications = with(shared, identities.serviceProperties(NotificationsApplication.NAME));
        notifications.put("tandem.notifications.journal-target", settings.host() + ":" + settings.journalPort());
        launch(NotificationsApplication.NAME, NotificationsApplication.class, settings.notificationsPort(), notifications, logs);
        Map<String, String> gateway = with(Map.of(), identities.gatewaySettings(settings.jwks(), settings.host(), Map.of(
                JournalApplication.NAME, settings.journalPort(),
                NotificationsApplication.NAME, settings.notificationsPort(),
                PlansApplication.NAME, settings.plansPort())));
        gateway.put("spring.grpc.server.address", settings.host());
        gateway.put("spring.grpc.server.reflection.enabled", "true");
        launch(GatewayApplication.NAME, GatewayApplication.class, settings.gatewayPort(), gateway, logs);

        for (ServiceProcess service : List.copyOf(services)) {
            service.awaitServing(settings.host(), Duration.ofMinutes(3));
            log(String.format("%-22s %s:%d  (log %s)", service.name(), settings.host(), service.port(), service.log()));
        }
        System.out.println();
        System.out.println("Tandem is running. Gateway (gRPC, plaintext): " + settings.gatewayTarget());
        System.out.println("  a token for a person:   ./devstack/tandem token alex   (--role counselor --org ORG, --role operator)");
        System.out.println("  the shared check-in:    ./devstack/tandem demo");
        System.out.println("  call it yourself:       Authorization: Bearer <token>, services tandem.api.v1.* (reflection is on)");
        System.out.println("Ctrl-C stops everything; data stays in " + settings.dataDir());
        System.out.println("DEVSTACK READY");
        new CountDownLatch(1).await();
    }

    private static Map<String, String> with(Map<String, String> common, Map<String, Object> own) {
        Map<String, String> settings = new HashMap<>(common);
        own.forEach((key, value) -> settings.put(key, value.toString()));
        return settings;
    }

    private void launch(String name, Class<?> application, int port, Map<String, String> common, Path logs) throws IOException {
        Map<String, String> settingsFor = new HashMap<>(common);
        settingsFor.put("spring.grpc.server.port", Integer.toString(port));
        services.add(ServiceProcess.launch(name, application.getName(), port, settings.serviceHeap(), logs, settingsFor));
    }

    private void stop() {
        List<ServiceProcess> running = new ArrayList<>(services);
        Collections.reverse(running);
        for (ServiceProcess service : running) {
            try {
                service.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        try {
            Files.deleteIfExists(settings.dataDir().resolve(PID_FILE));
        } catch (IOException e) {
            // the next start finds a process id that is no longer alive
        }
        log("stopped");
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

    private static void log(String line) {
        System.out.println("[devstack] " + line);
    }
}
