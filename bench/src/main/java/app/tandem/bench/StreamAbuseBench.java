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
import app.tandem.devservers.EmbeddedKafka;
import app.tandem.devservers.EmbeddedMongo;
import app.tandem.devservers.TemporaryFolders;
import app.tandem.gateway.GatewayApplication;
import app.tandem.journal.JournalApplication;
import app.tandem.notifications.NotificationsApplication;
import app.tandem.notifications.inbox.InboxEndpoint;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.testkit.DevTokenIssuer;
import app.tandem.testkit.RunningService;
import io.grpc.CallCredentials;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One token against the notification streams: it opens and at once resets thousands of streams, then tries to hold a
 * thousand open, first through a gateway with the default per-person limits, then through one whose limits are lifted
 * so only the service's own caps stand. Meanwhile a thousand other people hold a stream each and couples keep checking
 * in; the report gives the process's threads and heap, the other couples' prompt latency before and during the abuse,
 * and how soon the open-stream count is back to zero.
 */
public final class StreamAbuseBench {

    private static final int CONNECTIONS = 50;

    private final Map<String, Long> returnedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
    private final Map<Status.Code, Integer> failedCheckIns = new ConcurrentHashMap<>();
    private final List<String> report = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        new StreamAbuseBench().run(options.integer("resets", 5000), options.integer("held", 1000), options.integer("rate", 50),
                options.integer("seconds", 20));
        System.exit(0);
    }

    private void run(int resets, int held, int rate, int seconds) throws Exception {
        Path data = Files.createTempDirectory("tandem-stream-abuse");
        say("Stream abuse: %d streams opened and reset, %d held, by one token; %d other people each holding one; %d check-ins/s "
                + "of 20 other couples, on %d cores", resets, held, held, rate, Runtime.getRuntime().availableProcessors());
        try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(data.resolve("mongo.mv"), "127.0.0.1", 0);
             EmbeddedKafka kafka = EmbeddedKafka.onDisk(data.resolve("kafka"), "127.0.0.1", 0, 8)) {
            DevTokenIssuer issuer = DevTokenIssuer.generate();
            Path jwks = data.resolve("jwks.json");
            issuer.writeJwks(jwks);
            Map<String, RunningService> services = NotificationLatencyBench.journalAndNotifications(mongo, kafka);
            RunningService journal = services.get(JournalApplication.NAME);
            RunningService notifications = services.get(NotificationsApplication.NAME);
            // the couples' and the crowd's gateway: scripted clients, limits lifted
            RunningService open = RunningService.startStateless(GatewayApplication.NAME, GatewayApplication.class,
                    NotificationLatencyBench.gatewaySettings(jwks, services));
            Map<String, Object> limited = new HashMap<>(NotificationLatencyBench.gatewaySettings(jwks, services));
            limited.keySet().removeIf(key -> key.startsWith("tandem.gateway.limits."));
            RunningService asConfigured = RunningService.startStateless(GatewayApplication.NAME, GatewayApplication.class, limited);
            InboxEndpoint streams = notifications.context().getBean(InboxEndpoint.class);

            List<Couple> couples = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                couples.add(couple(channel(open.port()), issuer, i));
            }
            await(() -> streams.openStreams() == couples.size(), Duration.ofSeconds(30));
            // not measured: the check-in's path compiled first, as in a service that has run a while
            say("warming up: %d s at %d check-ins/s", 2 * seconds, rate);
            drive(couples, rate, 2 * seconds);
            row("before: open streams, threads, heap after a collection", Snapshot.now(streams));
            String before = drive(couples, rate, seconds);
            row("other couples' prompts, p50 / p99 / lost of answered, no abuse", before);

            CallCredentials abuser = BearerToken.of(issuer.issue("abuser-" + UUID.randomUUID(), Duration.ofHours(1)));
            List<ManagedChannel> abuserChannels = channels(asConfigured.port());
            row("default limits: " + resets + " streams opened and reset", openAndReset(abuserChannels, abuser, resets));
            List<Context.CancellableContext> holding = new ArrayList<>();
            row("default limits: " + held + " streams held", hold(abuserChannels, List.of(abuser), held, holding));
            cancel(holding);

            List<ManagedChannel> openChannels = channels(open.port());
            List<CallCredentials> crowd = new ArrayList<>();
            for (int i = 0; i < held; i++) {
                crowd.add(BearerToken.of(issuer.issue("crowd-" + i + "-" + UUID.randomUUID(), Duration.ofHours(1))));
            }
            row("gateway limits lifted: " + resets + " streams opened and reset", openAndReset(openChannels, abuser, resets));
            row("gateway limits lifted: " + held + " streams held", hold(openChannels, List.of(abuser), held, holding));
            row(held + " other people holding one stream each", hold(openChannels, crowd, held, holding));
            await(() -> streams.openStreams() == couples.size() + 3 + held, Duration.ofSeconds(60));
            row("while held: open streams, threads, heap after a collection", Snapshot.now(streams));
            String during = drive(couples, rate, seconds);
            row("other couples' prompts, p50 / p99 / lost of answered, while held", during);

            long released = System.nanoTime();
            cancel(holding);
            await(() -> streams.openStreams() == couples.size(), Duration.ofSeconds(60));
            row("all cancelled: back to the couples' 20 streams in", String.format("%.0f ms", (System.nanoTime() - released) / 1e6));
            row("after: open streams, threads, heap after a collection", Snapshot.now(streams));

            write(resets, held, rate, seconds);
            abuserChannels.forEach(ManagedChannel::shutdownNow);
            openChannels.forEach(ManagedChannel::shutdownNow);
            open.close();
            asConfigured.close();
            notifications.close();
            journal.close();
        } finally {
            TemporaryFolders.delete(data);
        }
    }

    /** Open streams, live threads of the whole process, and heap in use after a full collection. */
    private record Snapshot(int streams, int threads, long heapMb) {
        static Snapshot now(InboxEndpoint endpoint) {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            memory.gc();
            return new Snapshot(endpoint.openStreams(), ManagementFactory.getThreadMXBean().getThreadCount(),
                    memory.getHeapMemoryUsage().getUsed() >> 20);
        }

        @Override
        public String toString() {
            return streams + " streams, " + threads + " threads, " + heapMb + " MB heap";
        }
    }

    private static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
    }

    /** A client spreads its calls over connections, as the gateway takes 100 calls and 200 resets per connection. */
    private static List<ManagedChannel> channels(int port) {
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            channels.add(channel(port));
        }
        return channels;
    }

    /** Opens streams fifty at a time and resets each batch as soon as its requests are on the wire. */
    private static String openAndReset(List<ManagedChannel> channels, CallCredentials token, int count) throws InterruptedException {
        Map<Status.Code, Integer> outcomes = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        for (int from = 0; from < count; from += 50) {
            List<Context.CancellableContext> batch = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + 50); i++) {
                batch.add(watch(channels.get(i % channels.size()), token, outcomes));
            }
            Thread.sleep(5);
            cancel(batch);
        }
        Thread.sleep(1000);
        return String.format("%s in %.1f s", new TreeMap<>(outcomes), (System.nanoTime() - start) / 1e9);
    }

    /** Opens {@code count} streams over the tokens in turn and keeps them; what the server ended is counted by status. */
    private static String hold(List<ManagedChannel> channels, List<CallCredentials> tokens, int count,
                               List<Context.CancellableContext> holding) throws InterruptedException {
        Map<Status.Code, Integer> ended = new ConcurrentHashMap<>();
        for (int i = 0; i < count; i++) {
            holding.add(watch(channels.get(i % channels.size()), tokens.get(i % tokens.size()), ended));
        }
        Thread.sleep(3000);
        int refused = ended.values().stream().mapToInt(Integer::intValue).sum();
        return (count - refused) + " open; ended by the server: " + new TreeMap<>(ended);
    }

    private static Context.CancellableContext watch(ManagedChannel channel, CallCredentials token, Map<Status.Code, Integer> outcomes) {
        Context.CancellableContext context = Context.current().withCancellation();
        context.run(() -> NotificationServiceGrpc.newStub(channel).withCallCredentials(token)
                .watchNotifications(WatchNotificationsRequest.getDefaultInstance(), new StreamObserver<>() {
                    @Override
                    public void onNext(Notification notification) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        outcomes.merge(Status.fromThrowable(t).getCode(), 1, Integer::sum);
                    }

                    @Override
                    public void onCompleted() {
                        outcomes.merge(Status.Code.OK, 1, Integer::sum);
                    }
                }));
        return context;
    }

    private static void cancel(List<Context.CancellableContext> contexts) {
        contexts.forEach(context -> context.cancel(null));
        contexts.clear();
    }

    private static void await(Supplier<Boolean> condition, Duration atMost) throws InterruptedException {
        long until = System.nanoTime() + atMost.toNanos();
        while (!condition.get() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
    }

    private record Couple(String coupleId, JournalServiceGrpc.JournalServiceStub author) {
    }

    private Couple couple(ManagedChannel channel, DevTokenIssuer issuer, int index) {
        CallCredentials alex = BearerToken.of(issuer.issue("alex-" + index + "-" + UUID.randomUUID(), Duration.ofHours(1)));
        CallCredentials sam = BearerToken.of(issuer.issue("sam-" + index + "-" + UUID.randomUUID(), Duration.ofHours(1)));
        CreateCoupleResponse created = CoupleServiceGrpc.newBlockingStub(channel).withCallCredentials(alex)
                .createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).build());
        CoupleServiceGrpc.newBlockingStub(channel).withCallCredentials(sam).joinCouple(JoinCoupleRequest.newBuilder()
                .setIdempotencyKey(UUID.randomUUID().toString()).setInviteCode(created.getInviteCode()).build());
        NotificationServiceGrpc.newStub(channel).withCallCredentials(sam).watchNotifications(WatchNotificationsRequest.getDefaultInstance(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(Notification notification) {
                        if (notification.getKind() == NotificationKind.PARTNER_CHECKED_IN) {
                            receivedAt.putIfAbsent(notification.getCheckInId(), System.nanoTime());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        say("a couple's stream ended: %s", Status.fromThrowable(t).getCode());
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        return new Couple(created.getCoupleId(), JournalServiceGrpc.newStub(channel).withCallCredentials(alex));
    }

    /** Shared check-ins at {@code rate} for {@code seconds}; the latency from each answer to the partner's stream. */
    private String drive(List<Couple> couples, int rate, int seconds) throws InterruptedException {
        returnedAt.clear();
        receivedAt.clear();
        failedCheckIns.clear();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (int i = 0; i < rate * seconds; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Couple couple = couples.get(i % couples.size());
            couple.author().withDeadlineAfter(30, TimeUnit.SECONDS).recordCheckIn(RecordCheckInRequest.newBuilder()
                    .setIdempotencyKey(UUID.randomUUID().toString()).setCoupleId(couple.coupleId()).setMood(3)
                    .setVisibility(Visibility.SHARED_WITH_PARTNER).build(), new StreamObserver<>() {
                @Override
                public void onNext(RecordCheckInResponse response) {
                    returnedAt.put(response.getCheckInId(), System.nanoTime());
                }

                @Override
                public void onError(Throwable t) {
                    failedCheckIns.merge(Status.fromThrowable(t).getCode(), 1, Integer::sum);
                }

                @Override
                public void onCompleted() {
                }
            });
        }
        int sent = rate * seconds;
        await(() -> returnedAt.size() + failedCheckIns.values().stream().mapToInt(Integer::intValue).sum() == sent
                && receivedAt.keySet().containsAll(returnedAt.keySet()), Duration.ofSeconds(30));
        long[] latencies = returnedAt.entrySet().stream().filter(e -> receivedAt.containsKey(e.getKey()))
                .mapToLong(e -> Math.max(0, receivedAt.get(e.getKey()) - e.getValue())).sorted().toArray();
        long lost = returnedAt.keySet().stream().filter(id -> !receivedAt.containsKey(id)).count();
        return String.format("%.1f ms / %.1f ms / %d of %d%s", percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6, lost,
                returnedAt.size(), failedCheckIns.isEmpty() ? "" : "; check-ins failed: " + new TreeMap<>(failedCheckIns));
    }

    private static long percentile(long[] sorted, int percent) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    private void row(String measure, Object value) {
        say("%s: %s", measure, value);
        report.add("| " + measure + " | " + value + " |");
    }

    private void write(int resets, int held, int rate, int seconds) throws Exception {
        String text = "# Stream abuse\n\n"
                + "Run " + LocalDateTime.now().withNano(0) + " on " + Runtime.getRuntime().availableProcessors() + " cores: one token opens "
                + "and resets " + resets + " notification streams, then tries to hold " + held + ", through a gateway with the default "
                + "limits and through one with its limits lifted; " + held + " other people hold a stream each; 20 other couples check "
                + "in at " + rate + "/s for " + seconds + " s before and while the streams are held. KRaft broker, Mongo-wire server, "
                + "journal-service, notifications-service and two gateways in one JVM.\n\n"
                + "| measure | value |\n|---|---|\n" + String.join("\n", report) + "\n";
        Path file = Path.of("bench", "reports", "stream-abuse.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        say("report written to %s", file);
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
