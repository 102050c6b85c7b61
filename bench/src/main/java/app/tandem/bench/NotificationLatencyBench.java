package app.tandem.bench;

import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationKind;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordCheckInResponse;
import app.tandem.api.v1.Visibility;
import app.tandem.api.v1.WatchNotificationsRequest;
import app.tandem.gateway.GatewayApplication;
import app.tandem.journal.JournalApplication;
import app.tandem.notifications.NotificationsApplication;
import app.tandem.devservers.EmbeddedKafka;
import app.tandem.devservers.EmbeddedMongo;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.LocalIdentities;
import app.tandem.testkit.ScriptedLoad;
import app.tandem.testkit.RunningService;
import app.tandem.devservers.TemporaryFolders;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.testkit.DevTokenIssuer;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end prompt latency: many couples, shared check-ins through the gateway at a fixed rate, and the time
 * from a check-in call returning to the partner's notification stream receiving the prompt. Everything runs in
 * this process on the embedded stack: KRaft broker, Mongo-wire server, journal-service, notifications-service
 * and the gateway, as a phone would reach them.
 */
public final class NotificationLatencyBench {

    private final Map<String, Long> returnedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
    /** When the inbox stored each prompt (wall clock), to split the latency into before and after the inbox. */
    private final Map<String, Instant> storedAt = new ConcurrentHashMap<>();
    private final Map<String, Instant> returnedWallClock = new ConcurrentHashMap<>();
    private final AtomicInteger failedCalls = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        new NotificationLatencyBench().run(options.integer("rate", 500), options.integer("seconds", 20), options.integer("couples", 100),
                options.text("backend", "disk"), options.integer("warm-up-rate", 100), options.integer("warm-up-seconds", 60));
        System.exit(0);
    }

    private void run(int rate, int seconds, int coupleCount, String backend, int warmUpRate, int warmUpSeconds) throws Exception {
        Path data = Files.createTempDirectory("tandem-latency");
        say("Prompt latency: %d couples, %d shared check-ins/s for %d s, Mongo-wire server with the %s backend, on %d cores",
                coupleCount, rate, seconds, backend, Runtime.getRuntime().availableProcessors());
        try (EmbeddedMongo mongo = backend.equals("memory") ? EmbeddedMongo.inMemory() : EmbeddedMongo.onDisk(data.resolve("mongo.mv"), "127.0.0.1", 0);
             EmbeddedKafka kafka = EmbeddedKafka.onDisk(data.resolve("kafka"), "127.0.0.1", 0, 8)) {
            DevTokenIssuer issuer = DevTokenIssuer.generate();
            Path jwks = data.resolve("jwks.json");
            issuer.writeJwks(jwks);
            Map<String, RunningService> services = journalAndNotifications(mongo, kafka);
            RunningService journal = services.get(JournalApplication.NAME);
            RunningService notifications = services.get(NotificationsApplication.NAME);
            RunningService gateway = RunningService.startStateless(GatewayApplication.NAME, GatewayApplication.class,
                    gatewaySettings(jwks, services));
            // the load generator's callbacks only note a time, so they run on the channel's own thread: a phone is not
            // on these two cores, and a hand-off per callback would be the generator's cost counted as the stack's.
            // A connection per couple, as phones have their own: the gateway takes 100 calls at once per connection.
            List<ManagedChannel> channels = new ArrayList<>();
            List<Couple> couples = new ArrayList<>();
            for (int i = 0; i < coupleCount; i++) {
                ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().directExecutor().build();
                channels.add(channel);
                couples.add(couple(channel, issuer, i));
            }
            say("%d couples formed, every partner watching their stream", couples.size());

            // Not measured: a service runs for days, so the run starts once the JIT has compiled the check-in's path
            // (a minute at a rate the stack carries; at 100/s its compiler threads still take a quarter of the CPU
            // 30 s after the start), then seen it at the measured rate (batches grow with the rate, and code that
            // only runs then is compiled then), and every prompt of the warm-up has arrived.
            say("warming up: %d s at %d check-ins/s, then %d s at %d/s", warmUpSeconds, Math.min(rate, warmUpRate),
                    warmUpSeconds / 2, rate);
            drive(couples, Math.min(rate, warmUpRate), warmUpSeconds);
            if (rate > warmUpRate) {
                drive(couples, rate, warmUpSeconds / 2);
            }
            long settled = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (receivedAt.size() < returnedAt.size() && System.nanoTime() < settled) {
                Thread.sleep(100);
            }
            Thread.sleep(1000);
            returnedAt.clear();
            receivedAt.clear();
            storedAt.clear();
            returnedWallClock.clear();

            say("measuring");
            Cost before = Cost.now();
            long start = System.nanoTime();
            int sent = drive(couples, rate, seconds);
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (receivedAt.size() < returnedAt.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            double totalSeconds = (System.nanoTime() - start) / 1e9;
            Cost spent = Cost.now().minus(before);
            report(rate, seconds, coupleCount, backend, sent, sendSeconds, totalSeconds, spent);
            channels.forEach(ManagedChannel::shutdownNow);
            gateway.close();
            notifications.close();
            journal.close();
        } finally {
            TemporaryFolders.delete(data); // the report is what stays; a run's store and logs are hundreds of megabytes
        }
    }

    /** journal-service and notifications-service on the embedded stack, by name, every prompt pushed however many come. */
    static Map<String, RunningService> journalAndNotifications(EmbeddedMongo mongo, EmbeddedKafka kafka) {
        RunningService journal = RunningService.start(JournalApplication.NAME, JournalApplication.class,
                EmbeddedStack.serviceProperties(JournalApplication.NAME, mongo.connectionString(), kafka.bootstrapServers()));
        Map<String, Object> notificationSettings = new HashMap<>(
                EmbeddedStack.serviceProperties(NotificationsApplication.NAME, mongo.connectionString(), kafka.bootstrapServers()));
        notificationSettings.put("tandem.notifications.journal-target", "127.0.0.1:" + journal.port());
        notificationSettings.putAll(ScriptedLoad.promptLimits());
        RunningService notifications = RunningService.start(NotificationsApplication.NAME, NotificationsApplication.class, notificationSettings);
        return Map.of(JournalApplication.NAME, journal, NotificationsApplication.NAME, notifications);
    }

    /** The gateway in front of {@code services}, trusting {@code jwks} as the devstack's gateway does. */
    static Map<String, Object> gatewaySettings(Path jwks, Map<String, RunningService> services) {
        Map<String, Integer> ports = new HashMap<>();
        services.forEach((name, service) -> ports.put(name, service.port()));
        Map<String, Object> edge = new HashMap<>(LocalIdentities.shared().gatewaySettings(jwks, "127.0.0.1", ports));
        edge.put("spring.grpc.server.port", 0);
        // these benches load a few people far beyond what anyone does by hand: they measure cost, not the limits
        edge.putAll(ScriptedLoad.gatewayLimits(100_000_000, 1_000_000));
        return edge;
    }

    private record Couple(String coupleId, JournalServiceGrpc.JournalServiceStub author) {
    }

    private Couple couple(ManagedChannel channel, DevTokenIssuer issuer, int index) {
        String alex = "alex-" + index + "-" + UUID.randomUUID();
        String sam = "sam-" + index + "-" + UUID.randomUUID();
        CallCredentials alexToken = BearerToken.of(issuer.issue(alex, Duration.ofHours(2)));
        CallCredentials samToken = BearerToken.of(issuer.issue(sam, Duration.ofHours(2)));
        CreateCoupleResponse created = CoupleServiceGrpc.newBlockingStub(channel).withCallCredentials(alexToken)
                .createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).build());
        CoupleServiceGrpc.newBlockingStub(channel).withCallCredentials(samToken).joinCouple(JoinCoupleRequest.newBuilder()
                .setIdempotencyKey(UUID.randomUUID().toString()).setInviteCode(created.getInviteCode()).build());
        NotificationServiceGrpc.newStub(channel).withCallCredentials(samToken).watchNotifications(WatchNotificationsRequest.getDefaultInstance(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(Notification notification) {
                        if (notification.getKind() == NotificationKind.PARTNER_CHECKED_IN) {
                            receivedAt.putIfAbsent(notification.getCheckInId(), System.nanoTime());
                            storedAt.putIfAbsent(notification.getCheckInId(), Timestamps.toInstant(notification.getCreatedAt()));
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        say("a stream failed: %s", t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        return new Couple(created.getCoupleId(), JournalServiceGrpc.newStub(channel).withCallCredentials(alexToken));
    }

    /** Shared check-ins at {@code rate} per second for {@code seconds}, round-robin over the couples. */
    private int drive(List<Couple> couples, int rate, int seconds) throws InterruptedException {
        return FixedRate.drive(rate, seconds, (ended, i) -> {
            Couple couple = couples.get(i % couples.size());
            FixedRate.shareCheckIn(couple.author(), couple.coupleId(), checkIn -> {
                returnedAt.put(checkIn, System.nanoTime());
                returnedWallClock.put(checkIn, Instant.now());
            }, failedCalls, ended);
        });
    }

    /**
     * What the whole process spent: CPU (every thread, the broker's and the Mongo-wire server's too), bytes
     * allocated and time in collector pauses. Divided by the check-ins, it says how far a rate is from what two
     * cores can carry, whatever the latency of one run.
     */
    record Cost(long cpuNanos, long allocatedBytes, long gcMillis) {
        static Cost now() {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long gc = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
            return new Cost(os.getProcessCpuTime(), threads.getTotalThreadAllocatedBytes(), gc);
        }

        Cost minus(Cost earlier) {
            return new Cost(cpuNanos - earlier.cpuNanos, allocatedBytes - earlier.allocatedBytes, gcMillis - earlier.gcMillis);
        }
    }

    private void report(int rate, int seconds, int couples, String backend, int sent, double sendSeconds, double totalSeconds,
                        Cost spent) throws Exception {
        List<Long> latencies = new ArrayList<>();
        AtomicLong lost = new AtomicLong();
        returnedAt.forEach((checkIn, returned) -> {
            Long received = receivedAt.get(checkIn);
            if (received == null) {
                lost.incrementAndGet();
            } else {
                latencies.add(Math.max(0, received - returned)); // a prompt may even beat the call's answer home
            }
        });
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] toInbox = returnedWallClock.entrySet().stream().filter(e -> storedAt.containsKey(e.getKey()))
                .mapToLong(e -> Math.max(0, Duration.between(e.getValue(), storedAt.get(e.getKey())).toNanos())).sorted().toArray();
        say("of which from the answer to the inbox: p50 %s ms, p99 %s ms", millis(percentile(toInbox, 50)), millis(percentile(toInbox, 99)));
        String p50 = millis(percentile(sorted, 50));
        String p95 = millis(percentile(sorted, 95));
        String p99 = millis(percentile(sorted, 99));
        String max = millis(sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        double achieved = returnedAt.size() / sendSeconds;
        double delivered = sorted.length / totalSeconds;
        say("check-ins sent %d, answered %d, failed %d; prompts received %d, missing %d", sent, returnedAt.size(), failedCalls.get(),
                sorted.length, lost.get());
        say("check-ins answered per second %.0f (target rate %d); prompts delivered per second %.0f", achieved, rate, delivered);
        say("latency from the check-in's answer to the partner's stream: p50 %s ms, p95 %s ms, p99 %s ms, max %s ms", p50, p95, p99, max);
        int answered = Math.max(1, returnedAt.size());
        String cpu = String.format("%.2f", spent.cpuNanos() / 1e6 / answered);
        String allocated = String.format("%.2f", spent.allocatedBytes() / 1e6 / answered);
        int cores = Runtime.getRuntime().availableProcessors();
        say("per check-in: %s ms CPU (%d cores carry %.0f/s at most), %s MB allocated; collector pauses %d ms in all", cpu, cores,
                cores * 1000.0 / Math.max(0.01, spent.cpuNanos() / 1e6 / answered), allocated, spent.gcMillis());

        String report = "# Prompt latency, " + rate + " check-ins/s\n\n"
                + "Run " + LocalDateTime.now().withNano(0) + " on " + Runtime.getRuntime().availableProcessors() + " cores: "
                + couples + " couples, " + rate + " shared check-ins/s through the gateway for " + seconds + " s, KRaft broker and "
                + "Mongo-wire server (" + backend + " backend), journal-service, notifications-service and the gateway in one JVM.\n\n"
                + "| measure | value |\n|---|---|\n"
                + "| check-ins sent / answered / failed | " + sent + " / " + returnedAt.size() + " / " + failedCalls.get() + " |\n"
                + "| check-ins answered per second | " + Math.round(achieved) + " |\n"
                + "| prompts received / missing | " + sorted.length + " / " + lost.get() + " |\n"
                + "| p50 | " + p50 + " ms |\n| p95 | " + p95 + " ms |\n| p99 | " + p99 + " ms |\n| max | " + max + " ms |\n"
                + "| CPU per check-in, whole process | " + cpu + " ms |\n"
                + "| allocated per check-in | " + allocated + " MB |\n"
                + "| collector pauses during the run | " + spent.gcMillis() + " ms |\n";
        Path file = Path.of("bench", "reports", "notification-latency-" + backend + "-" + rate + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
        say("report written to %s", file);
    }

    static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    static String millis(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
