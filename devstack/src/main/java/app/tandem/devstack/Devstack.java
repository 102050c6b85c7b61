package app.tandem.devstack;

import app.tandem.api.v1.Role;
import app.tandem.cli.TandemCli;
import app.tandem.testkit.DevTokenIssuer;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.platform.security.Roles;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Tandem on one machine ({@link LocalTandem}): a Kafka broker (KRaft) and a MongoDB wire-protocol server on disk
 * in this process, and the four services as separate JVMs. Ctrl-C stops everything in order.
 *
 * <pre>
 *   up                 start everything (default)
 *   token [--role R] [--org O] PERSON_ID
 *                      print a bearer token for PERSON_ID from the dev issuer (role partner, counselor or operator)
 *   demo               walk through the shared check-in slice against a running devstack
 *   my-data [--role R] [--org O] PERSON_ID
 *                      print everything the services hold about PERSON_ID as one JSON document
 *   ops ...            the operators' command line ({@code tandem ops --help}) against the running devstack
 *   stop               stop a devstack running in the background, in order
 * </pre>
 */
public final class Devstack {

    private static final String PID_FILE = "devstack.pid";

    private final DevstackSettings settings;
    private volatile LocalTandem tandem;

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
            case "my-data" -> System.out.println(myData(settings, Arrays.copyOfRange(args, 1, args.length)));
            case "stop" -> stop(settings);
            case "ops" -> System.exit(ops(settings, args));
            default -> {
                System.err.println("unknown command " + command + "; use up, token, demo, my-data, ops or stop");
                System.exit(2);
            }
        }
    }

    /** The person's export from every service of the running devstack, as the person themselves asks for it. */
    private static String myData(DevstackSettings settings, String[] args) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(settings.gatewayTarget()).usePlaintext().build();
        try {
            return PersonalDataDocument.toJson(PersonalDataDocument.of(channel, BearerToken.of(token(settings, args))));
        } finally {
            channel.shutdownNow();
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

    /**
     * {@code tandem ops ...} against this devstack's gateway, as an operator named "operator" unless TANDEM_TOKEN names
     * someone else.
     */
    private static int ops(DevstackSettings settings, String[] args) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("TANDEM_GATEWAY", settings.gatewayTarget());
        environment.put("TANDEM_PLAINTEXT", "true");
        environment.computeIfAbsent("TANDEM_TOKEN", absent -> token(settings, new String[] {"--role", "operator", "operator"}));
        String[] forCli = Arrays.stream(args).filter(arg -> !DevstackSettings.isSetting(arg)).toArray(String[]::new);
        return TandemCli.run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), environment, forCli);
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
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "devstack-shutdown"));
        log("MongoDB wire server  " + "mongodb://" + settings.host() + ":" + settings.mongoPort() + "  (data in " + settings.dataDir().resolve("mongo") + ")");
        log("Kafka broker (KRaft) " + settings.host() + ":" + settings.kafkaPort() + "  (log in " + settings.dataDir().resolve("kafka") + ")");
        tandem = LocalTandem.start(settings);
        tandem.logs().forEach((name, file) -> log(String.format("%-22s %s:%d  (log %s)%s", name, settings.host(), tandem.port(name), file,
                tandem.managementPort(name) == 0 ? "" : "  metrics :" + tandem.managementPort(name) + "/actuator/prometheus")));
        log(String.format("%-22s %s  (the web app and gRPC-Web)", "web", settings.webAddress()));
        System.out.println();
        System.out.println("Tandem is running. Gateway (gRPC, plaintext): " + settings.gatewayTarget());
        System.out.println("  in a browser:           " + settings.webAddress() + "   (sign in with any name)");
        System.out.println("  a token for a person:   ./devstack/tandem token alex   (--role counselor --org ORG, --role operator)");
        System.out.println("  the shared check-in:    ./devstack/tandem demo");
        System.out.println("  call it yourself:       Authorization: Bearer <token>, services tandem.api.v1.* (reflection is on)");
        System.out.println("Ctrl-C stops everything; data stays in " + settings.dataDir());
        System.out.println("DEVSTACK READY");
        new CountDownLatch(1).await();
    }

    private void stop() {
        if (tandem != null) {
            tandem.close();
        }
        try {
            Files.deleteIfExists(settings.dataDir().resolve(PID_FILE));
        } catch (IOException e) {
            // the next start finds a process id that is no longer alive
        }
        log("stopped");
    }

    private static void log(String line) {
        System.out.println("[devstack] " + line);
    }
}
