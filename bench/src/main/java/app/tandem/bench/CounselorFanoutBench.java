package app.tandem.bench;

import app.tandem.api.v1.CareEvent;
import app.tandem.api.v1.CareServiceGrpc;
import app.tandem.api.v1.Consent;
import app.tandem.api.v1.ConsentPurpose;
import app.tandem.api.v1.ConsentServiceGrpc;
import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.CreateClientInvitationRequest;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.DisclosureScope;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.PrepareConsentRequest;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordCheckInResponse;
import app.tandem.api.v1.RevokeConsentRequest;
import app.tandem.api.v1.Role;
import app.tandem.api.v1.SignConsentRequest;
import app.tandem.api.v1.Visibility;
import app.tandem.api.v1.WatchCareEventsRequest;
import app.tandem.care.CareApplication;
import app.tandem.devservers.EmbeddedKafka;
import app.tandem.devservers.EmbeddedMongo;
import app.tandem.devservers.TemporaryFolders;
import app.tandem.gateway.GatewayApplication;
import app.tandem.journal.JournalApplication;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.testkit.LocalIdentities;
import app.tandem.testkit.DevTokenIssuer;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.RunningService;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static app.tandem.bench.NotificationLatencyBench.millis;
import static app.tandem.bench.NotificationLatencyBench.percentile;

/**
 * Counselors watching what their clients disclose: one partner per couple consents to one counselor for shared
 * check-ins, every counselor holds a care stream through the gateway, and shared check-ins flow at a fixed rate. It
 * measures the time from a check-in's answer (its event is stored by then) to the counselor's stream receiving it,
 * then revokes some consents under load and measures how long after each revocation returned anything still arrived
 * under it. journal-service, care-service and the gateway run in this process on the embedded stack.
 */
public final class CounselorFanoutBench {

    private final Map<String, Long> returnedAt = new ConcurrentHashMap<>();
    /** Whose check-in each was, so the items of a revoked consent are left out of the latency. */
    private final Map<String, String> authorOf = new ConcurrentHashMap<>();
    private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
    /** Per client whose consent was revoked: when the revocation returned, and the last arrival under it. */
    private final Map<String, Long> revokedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> lastArrival = new ConcurrentHashMap<>();
    private final AtomicInteger afterRevocation = new AtomicInteger();
    private final AtomicInteger failedCalls = new AtomicInteger();
    private final AtomicInteger failedStreams = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        new CounselorFanoutBench().run(options.integer("counselors", 200), options.integer("rate", 500), options.integer("seconds", 20),
                options.integer("revocations", 20), options.integer("warm-up-seconds", 60));
        System.exit(0);
    }

    private record Client(String personId, String coupleId, JournalServiceGrpc.JournalServiceStub journal,
                          ConsentServiceGrpc.ConsentServiceBlockingStub consents, String consentId) {
    }

    private void run(int counselors, int rate, int seconds, int revocations, int warmUpSeconds) throws Exception {
        Path data = Files.createTempDirectory("tandem-care-fanout");
        say("Counselor fan-out: %d counselors watching, one consenting client each, %d shared check-ins/s for %d s, %d revocations"
                + " under load, on %d cores", counselors, rate, seconds, revocations, Runtime.getRuntime().availableProcessors());
        try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(data.resolve("mongo.mv"), "127.0.0.1", 0);
             EmbeddedKafka kafka = EmbeddedKafka.onDisk(data.resolve("kafka"), "127.0.0.1", 0, 8)) {
            DevTokenIssuer issuer = DevTokenIssuer.generate();
            Path jwks = data.resolve("jwks.json");
            issuer.writeJwks(jwks);
            RunningService journal = RunningService.start(JournalApplication.NAME, JournalApplication.class,
                    EmbeddedStack.serviceProperties(JournalApplication.NAME, mongo.connectionString(), kafka.bootstrapServers()));
            Map<String, Object> careSettings = new HashMap<>(
                    EmbeddedStack.serviceProperties(CareApplication.NAME, mongo.connectionString(), kafka.bootstrapServers()));
            careSettings.put("tandem.care.journal-target", "127.0.0.1:" + journal.port());
            RunningService care = RunningService.start(CareApplication.NAME, CareApplication.class, careSettings);
            RunningService gateway = RunningService.startStateless(GatewayApplication.NAME, GatewayApplication.class,
                    NotificationLatencyBench.gatewaySettings(jwks, Map.of(JournalApplication.NAME, journal, CareApplication.NAME, care)));
            List<ManagedChannel> channels = new ArrayList<>();
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < counselors; i++) {
                // a connection per person, as phones and a counselor's browser have their own
                ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().directExecutor().build();
                channels.add(channel);
                clients.add(clientWithCounselor(channel, issuer, i));
            }
            say("%d clients consented, every counselor watching", clients.size());

            say("warming up: %d s at %d check-ins/s", warmUpSeconds, rate);
            drive(clients, rate, warmUpSeconds);
            settle(60);
            returnedAt.clear();
            receivedAt.clear();
            authorOf.clear();

            say("measuring");
            NotificationLatencyBench.Cost before = NotificationLatencyBench.Cost.now();
            long devServersBefore = devServersCpu();
            long start = System.nanoTime();
            Thread revoker = new Thread(() -> revokeHalfWay(clients.subList(0, Math.min(revocations, clients.size())), seconds));
            revoker.start();
            int sent = drive(clients, rate, seconds);
            revoker.join();
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            settle(30);
            NotificationLatencyBench.Cost spent = NotificationLatencyBench.Cost.now().minus(before);
            devServersCpu = devServersCpu() - devServersBefore;
            report(counselors, rate, seconds, sent, sendSeconds, spent);
            channels.forEach(ManagedChannel::shutdownNow);
            gateway.close();
            care.close();
            journal.close();
        } finally {
            TemporaryFolders.delete(data);
        }
    }

    /** Waits until every check-in still under consent has reached its counselor, or {@code seconds} passed. */
    private void settle(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && returnedAt.keySet().stream().anyMatch(this::awaited)) {
            Thread.sleep(200);
        }
        Thread.sleep(1000);
    }

    /** A check-in whose item should reach the counselor and has not yet. */
    private boolean awaited(String checkIn) {
        return !revokedAt.containsKey(authorOf.get(checkIn)) && !receivedAt.containsKey(checkIn);
    }

    private Client clientWithCounselor(ManagedChannel channel, DevTokenIssuer issuer, int index) {
        String alex = "alex-" + index + "-" + UUID.randomUUID();
        String sam = "sam-" + index + "-" + UUID.randomUUID();
        String dana = "dana-" + index + "-" + UUID.randomUUID();
        CallCredentials alexToken = BearerToken.of(issuer.issue(alex, Duration.ofHours(2)));
        CallCredentials samToken = BearerToken.of(issuer.issue(sam, Duration.ofHours(2)));
        CallCredentials danaToken = BearerToken.of(issuer.issue(dana, Set.of(Role.ROLE_COUNSELOR), "clinic-" + (index % 10), Duration.ofHours(2)));
        CreateCoupleResponse created = CoupleServiceGrpc.newBlockingStub(channel).withCallCredentials(alexToken)
                .createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).build());
        CoupleServiceGrpc.newBlockingStub(channel).withCallCredentials(samToken).joinCouple(JoinCoupleRequest.newBuilder()
                .setIdempotencyKey(UUID.randomUUID().toString()).setInviteCode(created.getInviteCode()).build());
        String code = CareServiceGrpc.newBlockingStub(channel).withCallCredentials(danaToken).createClientInvitation(
                CreateClientInvitationRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).build()).getCode();
        ConsentServiceGrpc.ConsentServiceBlockingStub consents = ConsentServiceGrpc.newBlockingStub(channel).withCallCredentials(alexToken);
        Consent draft = consents.prepareConsent(PrepareConsentRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString())
                .setInvitationCode(code).setPurpose(ConsentPurpose.TREATMENT).addScopes(DisclosureScope.SHARED_CHECK_INS)
                .setUntilTreatmentEnds(true).build());
        consents.signConsent(SignConsentRequest.newBuilder().setConsentId(draft.getConsentId()).setVersion(draft.getVersion())
                .setTextSha256(draft.getTextSha256()).build());
        CareServiceGrpc.newStub(channel).withCallCredentials(danaToken).watchCareEvents(WatchCareEventsRequest.getDefaultInstance(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(CareEvent event) {
                        long now = System.nanoTime();
                        receivedAt.putIfAbsent(event.getItemId(), now);
                        Long revoked = revokedAt.get(event.getClientPersonId());
                        if (revoked != null) {
                            lastArrival.merge(event.getClientPersonId(), now, Math::max);
                            if (now > revoked) {
                                afterRevocation.incrementAndGet();
                            }
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        failedStreams.incrementAndGet();
                        say("a care stream failed: %s", t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        // the care stream names a client by the id the gateway gives them, not by their token's subject
        return new Client(LocalIdentities.shared().personIdOf(alex), created.getCoupleId(), JournalServiceGrpc.newStub(channel).withCallCredentials(alexToken), consents,
                draft.getConsentId());
    }

    /** Half-way through the run, revokes each of {@code clients}' consents, one after another, while check-ins flow. */
    private void revokeHalfWay(List<Client> clients, int seconds) {
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) / 2);
            for (Client client : clients) {
                client.consents().revokeConsent(RevokeConsentRequest.newBuilder().setConsentId(client.consentId()).build());
                revokedAt.put(client.personId(), System.nanoTime());
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int drive(List<Client> clients, int rate, int seconds) throws InterruptedException {
        return FixedRate.drive(rate, seconds, (ended, i) -> {
            Client client = clients.get(i % clients.size());
            FixedRate.shareCheckIn(client.journal(), client.coupleId(), checkIn -> {
                returnedAt.put(checkIn, System.nanoTime());
                authorOf.put(checkIn, client.personId());
            }, failedCalls, ended);
        });
    }

    /** Threads of the development servers (the Mongo-wire server and the broker), not of the services or their clients. */
    private static final List<String> DEV_SERVER_THREADS = List.of("mongo-server", "mongo-store", "MVStore", "data-plane-kafka",
            "group-coordinator", "share-coordinator", "quorum-controller", "kafka-", "broker-", "controller-", "ExpirationReaper",
            "raft-", "LogDirFailureHandler", "transaction-");

    private long devServersCpu;

    /** CPU the development servers' threads have used so far: the rest is what the services cost. */
    private static long devServersCpu() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && !info.getThreadName().contains(" | ")
                    && DEV_SERVER_THREADS.stream().anyMatch(info.getThreadName()::startsWith)) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private void report(int counselors, int rate, int seconds, int sent, double sendSeconds, NotificationLatencyBench.Cost spent)
            throws Exception {
        List<Long> latencies = new ArrayList<>();
        int missing = 0;
        for (Map.Entry<String, Long> answered : returnedAt.entrySet()) {
            if (revokedAt.containsKey(authorOf.get(answered.getKey()))) {
                continue; // whether it arrived depends on when the revocation came: counted below
            }
            Long received = receivedAt.get(answered.getKey());
            if (received == null) {
                missing++;
            } else {
                latencies.add(Math.max(0, received - answered.getValue()));
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] afterRevoking = revokedAt.entrySet().stream()
                .mapToLong(e -> Math.max(0, lastArrival.getOrDefault(e.getKey(), e.getValue()) - e.getValue())).sorted().toArray();
        String p50 = millis(percentile(sorted, 50));
        String p99 = millis(percentile(sorted, 99));
        String max = millis(sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        String revocationP99 = millis(percentile(afterRevoking, 99));
        String revocationMax = millis(afterRevoking.length == 0 ? 0 : afterRevoking[afterRevoking.length - 1]);
        double answeredPerSecond = returnedAt.size() / sendSeconds;
        int answered = Math.max(1, returnedAt.size());
        String cpu = String.format("%.2f", spent.cpuNanos() / 1e6 / answered);
        String servicesCpu = String.format("%.2f", (spent.cpuNanos() - devServersCpu) / 1e6 / answered);
        String devCpu = String.format("%.2f", devServersCpu / 1e6 / answered);
        say("check-ins sent %d, failed %d, answered %d; of those under a consent never revoked, received by their counselor %d, missing %d;"
                + " streams failed %d", sent, failedCalls.get(), returnedAt.size(), sorted.length, missing, failedStreams.get());
        say("from the check-in's answer to the counselor's stream: p50 %s ms, p99 %s ms, max %s ms", p50, p99, max);
        say("revocations %d: from a revocation's answer to the last item under it, p99 %s ms, max %s ms; items after an answer %d",
                revokedAt.size(), revocationP99, revocationMax, afterRevocation.get());
        say("per check-in: %s ms CPU, whole process: %s ms the services and the load, %s ms the Mongo-wire server and the broker;"
                + " collector pauses %d ms", cpu, servicesCpu, devCpu, spent.gcMillis());
        String report = "# Counselor fan-out, " + counselors + " counselors, " + rate + " check-ins/s\n\n"
                + "Run " + LocalDateTime.now().withNano(0) + " on " + Runtime.getRuntime().availableProcessors() + " cores: "
                + counselors + " counselors each watching one consenting client, " + rate + " shared check-ins/s through the gateway for "
                + seconds + " s, " + revokedAt.size() + " consents revoked half-way; KRaft broker, Mongo-wire server (disk), "
                + "journal-service, care-service and the gateway in one JVM.\n\n"
                + "| measure | value |\n|---|---|\n"
                + "| check-ins sent / failed | " + sent + " / " + failedCalls.get() + " |\n"
                + "| check-ins answered per second | " + Math.round(answeredPerSecond) + " |\n"
                + "| under a consent never revoked: received by the counselor / missing | " + sorted.length + " / " + missing + " |\n"
                + "| answer to counselor's stream, p50 / p99 / max | " + p50 + " / " + p99 + " / " + max + " ms |\n"
                + "| revocation's answer to the last item under it, p99 / max | " + revocationP99 + " / " + revocationMax + " ms |\n"
                + "| items received after a revocation answered | " + afterRevocation.get() + " |\n"
                + "| CPU per check-in, whole process | " + cpu + " ms |\n"
                + "| of which the services, gateway and load generator / the Mongo-wire server and broker | " + servicesCpu + " / " + devCpu + " ms |\n"
                + "| collector pauses during the run | " + spent.gcMillis() + " ms |\n";
        Path file = Path.of("bench", "reports", "counselor-fanout-" + counselors + "-" + rate + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
        say("report written to %s", file);
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
