package app.tandem.bench;

import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.GetGoalsRequest;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.Visibility;
import app.tandem.gateway.GatewayApplication;
import app.tandem.journal.JournalApplication;
import app.tandem.devservers.EmbeddedKafka;
import app.tandem.devservers.EmbeddedMongo;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.RunningService;
import app.tandem.devservers.TemporaryFolders;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.testkit.DevTokenIssuer;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the gateway adds to a call: the same calls, one after another, straight to journal-service (with the
 * assertion the gateway would sign) and through the gateway (with a person's token), a read (GetGoals) and a write
 * (a private RecordCheckIn). The difference of the medians is the gateway's cost: a token check, an assertion, one
 * more hop.
 */
public final class GatewayCostBench {

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        new GatewayCostBench().run(options.integer("calls", 5000), options.integer("rounds", 4));
        System.exit(0);
    }

    private record Round(long readGateway, long readDirect, long writeGateway, long writeDirect) {
    }

    private void run(int calls, int rounds) throws Exception {
        Path data = Files.createTempDirectory("tandem-gateway-cost");
        say("Gateway cost: %d reads and %d writes per round and path, %d rounds, the first for warm-up, on %d cores", calls, calls / 5,
                rounds, Runtime.getRuntime().availableProcessors());
        List<Round> results = new ArrayList<>();
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory(); EmbeddedKafka kafka = EmbeddedKafka.onDisk(data.resolve("kafka"), "127.0.0.1", 0, 4)) {
            DevTokenIssuer issuer = DevTokenIssuer.generate();
            Path jwks = data.resolve("jwks.json");
            issuer.writeJwks(jwks);
            RunningService journal = RunningService.start(JournalApplication.NAME, JournalApplication.class,
                    EmbeddedStack.serviceProperties(JournalApplication.NAME, mongo.connectionString(), kafka.bootstrapServers()));
            RunningService gateway = RunningService.startStateless(GatewayApplication.NAME, GatewayApplication.class,
                    NotificationLatencyBench.gatewaySettings(jwks, Map.of(JournalApplication.NAME, journal)));
            ManagedChannel viaGateway = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
            ManagedChannel direct = ManagedChannelBuilder.forAddress("127.0.0.1", journal.port()).usePlaintext().build();
            String alex = "alex-" + UUID.randomUUID();
            CallCredentials token = BearerToken.of(issuer.issue(alex, Duration.ofHours(2)));
            String couple = CoupleServiceGrpc.newBlockingStub(viaGateway).withCallCredentials(token)
                    .createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey("k").build()).getCoupleId();
            var throughGateway = JournalServiceGrpc.newBlockingStub(viaGateway).withCallCredentials(token);
            var straight = JournalServiceGrpc.newBlockingStub(direct).withCallCredentials(journal.asPartner(alex));
            for (int round = 0; round < rounds; round++) {
                Round result = new Round(
                        median(calls, () -> throughGateway.getGoals(GetGoalsRequest.getDefaultInstance())),
                        median(calls, () -> straight.getGoals(GetGoalsRequest.getDefaultInstance())),
                        median(calls / 5, () -> throughGateway.recordCheckIn(checkIn(couple))),
                        median(calls / 5, () -> straight.recordCheckIn(checkIn(couple))));
                say("round %d: GetGoals p50 %s ms through the gateway, %s ms direct; RecordCheckIn p50 %s ms through the gateway, %s ms direct",
                        round, ms(result.readGateway()), ms(result.readDirect()), ms(result.writeGateway()), ms(result.writeDirect()));
                results.add(result);
            }
            viaGateway.shutdownNow();
            direct.shutdownNow();
            gateway.close();
            journal.close();
        } finally {
            TemporaryFolders.delete(data);
        }
        report(calls, results.subList(1, results.size()));
    }

    private void report(int calls, List<Round> measured) throws Exception {
        long read = medianOf(measured.stream().mapToLong(r -> r.readGateway() - r.readDirect()).toArray());
        long write = medianOf(measured.stream().mapToLong(r -> r.writeGateway() - r.writeDirect()).toArray());
        say("the gateway adds (median over rounds after the first): %s ms to a read, %s ms to a write", ms(read), ms(write));
        StringBuilder report = new StringBuilder("# Gateway cost per call\n\nRun " + LocalDateTime.now().withNano(0) + " on "
                + Runtime.getRuntime().availableProcessors() + " cores: journal-service and the gateway in one JVM on the embedded stack "
                + "(Mongo-wire server in memory), " + calls + " GetGoals and " + calls / 5 + " private RecordCheckIn per round, one at a "
                + "time, straight to the service with a signed assertion and through the gateway with a bearer token.\n\n"
                + "| round | GetGoals via gateway | direct | RecordCheckIn via gateway | direct |\n|---|---|---|---|---|\n");
        for (int i = 0; i < measured.size(); i++) {
            Round r = measured.get(i);
            report.append("| ").append(i + 1).append(" | ").append(ms(r.readGateway())).append(" ms | ").append(ms(r.readDirect()))
                    .append(" ms | ").append(ms(r.writeGateway())).append(" ms | ").append(ms(r.writeDirect())).append(" ms |\n");
        }
        report.append("\nThe gateway adds ").append(ms(read)).append(" ms (p50) to a read and ").append(ms(write)).append(" ms to a write.\n");
        Path file = Path.of("bench", "reports", "gateway-cost.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report.toString());
        say("report written to %s", file);
    }

    private static RecordCheckInRequest checkIn(String couple) {
        return RecordCheckInRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).setCoupleId(couple).setMood(3)
                .setCravingIntensity(2).setVisibility(Visibility.PRIVATE).build();
    }

    private static long median(int calls, Runnable call) {
        long[] times = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            call.run();
            times[i] = System.nanoTime() - start;
        }
        return medianOf(times);
    }

    private static long medianOf(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String ms(long nanos) {
        return String.format("%.3f", nanos / 1e6);
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
