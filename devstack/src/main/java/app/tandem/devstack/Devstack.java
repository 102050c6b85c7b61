package app.tandem.devstack;

import app.tandem.gateway.GatewayApplication;
import app.tandem.journal.JournalApplication;
import app.tandem.notifications.NotificationsApplication;
import app.tandem.plans.PlansApplication;
import app.tandem.platform.embedded.EmbeddedKafka;
import app.tandem.platform.embedded.EmbeddedMongo;
import app.tandem.platform.security.DevTokenIssuer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Tandem on one machine: a Kafka broker (KRaft) and a MongoDB wire-protocol server on disk in this process,
 * and the four services as separate JVMs. Ctrl-C stops everything in order.
 *
 * <pre>
 *   up                 start everything (default)
 *   token PERSON_ID    print a bearer token for PERSON_ID from the dev issuer
 *   demo               walk through the shared check-in slice against a running devstack
 * </pre>
 */
public final class Devstack {

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
            case "token" -> {
                if (args.length < 2 || args[1].startsWith("--")) {
                    System.err.println("usage: token PERSON_ID");
                    System.exit(2);
                }
                System.out.println(DevTokenIssuer.inFolder(settings.dataDir()).issue(args[1], Duration.ofHours(12)));
            }
            case "demo" -> Demo.run(settings);
            default -> {
                System.err.println("unknown command " + command + "; use up, token or demo");
                System.exit(2);
            }
        }
    }

    private void up() throws Exception {
        Files.createDirectories(settings.dataDir());
        String masterKey = masterKey(settings.dataDir().resolve("master.key"));
        DevTokenIssuer.inFolder(settings.dataDir());
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "devstack-shutdown"));

        mongo = EmbeddedMongo.onDisk(settings.dataDir().resolve("mongo").resolve("tandem.mv"), settings.host(), settings.mongoPort());
        kafka = EmbeddedKafka.onDisk(settings.dataDir().resolve("kafka"), settings.host(), settings.kafkaPort(), 6);
        log("MongoDB wire server  " + mongo.connectionString() + "  (data in " + settings.dataDir().resolve("mongo") + ")");
        log("Kafka broker (KRaft) " + kafka.bootstrapServers() + "  (log in " + settings.dataDir().resolve("kafka") + ")");

        Map<String, String> shared = new HashMap<>();
        shared.put("tandem.mongo.uri", mongo.connectionString());
        shared.put("tandem.kafka.bootstrap-servers", kafka.bootstrapServers());
        shared.put("tandem.crypto.master-key", masterKey);
        shared.put("spring.grpc.server.address", settings.host());
        Path logs = settings.dataDir().resolve("logs");

        launch(JournalApplication.NAME, JournalApplication.class, settings.journalPort(), shared, logs);
        launch(PlansApplication.NAME, PlansApplication.class, settings.plansPort(), shared, logs);
        Map<String, String> notifications = new HashMap<>(shared);
        notifications.put("tandem.notifications.journal-target", settings.host() + ":" + settings.journalPort());
        launch(NotificationsApplication.NAME, NotificationsApplication.class, settings.notificationsPort(), notifications, logs);
        Map<String, String> gateway = new HashMap<>();
        gateway.put("tandem.gateway.journal-target", settings.host() + ":" + settings.journalPort());
        gateway.put("tandem.gateway.notifications-target", settings.host() + ":" + settings.notificationsPort());
        gateway.put("tandem.gateway.plans-target", settings.host() + ":" + settings.plansPort());
        gateway.put("tandem.auth.jwks-uri", settings.jwks().toUri().toString());
        gateway.put("tandem.auth.issuer", DevTokenIssuer.ISSUER);
        gateway.put("spring.grpc.server.address", settings.host());
        launch(GatewayApplication.NAME, GatewayApplication.class, settings.gatewayPort(), gateway, logs);

        for (ServiceProcess service : List.copyOf(services)) {
            service.awaitServing(settings.host(), Duration.ofMinutes(3));
            log(String.format("%-22s %s:%d  (log %s)", service.name(), settings.host(), service.port(), service.log()));
        }
        System.out.println();
        System.out.println("Tandem is running. Gateway (gRPC, plaintext): " + settings.gatewayTarget());
        System.out.println("  a token for a person:   ./devstack/tandem token alex");
        System.out.println("  the shared check-in:    ./devstack/tandem demo");
        System.out.println("  call it yourself:       Authorization: Bearer <token>, services tandem.api.v1.* (reflection is on)");
        System.out.println("Ctrl-C stops everything; data stays in " + settings.dataDir());
        System.out.println("DEVSTACK READY");
        new CountDownLatch(1).await();
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
        return encoded;
    }

    private static void log(String line) {
        System.out.println("[devstack] " + line);
    }
}
