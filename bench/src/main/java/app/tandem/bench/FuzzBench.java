package app.tandem.bench;

import app.tandem.devstack.InProcessTandem;
import app.tandem.devstack.fuzz.FuzzTally;
import app.tandem.devstack.fuzz.RequestFuzzer;
import app.tandem.devstack.fuzz.RequestFuzzer.Finding;
import app.tandem.devservers.TemporaryFolders;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.ScriptedLoad;
import app.tandem.testkit.RunningService;
import com.code_intelligence.jazzer.Jazzer;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.mongodb.client.MongoDatabase;
import io.grpc.Status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Fuzzes every public RPC through the gateway on the embedded stack with Jazzer (libFuzzer, coverage-guided over
 * Tandem's own classes), one request at a time, and checks each answer as {@link RequestFuzzer} does: no INTERNAL,
 * UNKNOWN or DATA_LOSS, no error logged, nothing stored by a refused request. Unlike the test, a finding does not stop
 * the run: it is printed, its request saved under {@code bench/reports/fuzz-findings/}, and the run goes on.
 */
public final class FuzzBench {

    private static final Path REPORTS = Path.of("bench", "reports");

    private static int inputs;
    private static boolean checkStorage;
    private static RequestFuzzer fuzzer;
    private static long started;
    private static long fuzzingFrom;
    private static int saved;

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        inputs = options.integer("inputs", 100_000);
        checkStorage = Boolean.parseBoolean(options.text("check-storage", "true"));
        List<String> jazzer = new ArrayList<>(List.of(
                "--target_class=" + FuzzBench.class.getName(),
                // coverage of Tandem's own code guides the fuzzer, whichever thread (gateway, service, processor) runs it
                "--instrumentation_includes=app.tandem.**",
                "--custom_hook_includes=app.tandem.**",
                "--instrumentation_excludes=app.tandem.devservers.**:app.tandem.testkit.**:app.tandem.bench.**",
                "--keep_going=1000",
                "-runs=" + inputs,
                "-rss_limit_mb=0",
                "-max_len=4096",
                "-print_final_stats=1",
                // were the fuzz target itself to fail, libFuzzer's input goes beside the findings
                "-artifact_prefix=" + REPORTS.resolve("fuzz-findings") + "/",
                seeds().toString()));
        options.text("seed", "").lines().filter(seed -> !seed.isBlank()).forEach(seed -> jazzer.add("-seed=" + seed));
        Files.createDirectories(REPORTS.resolve("fuzz-findings"));
        started = System.nanoTime();
        Jazzer.main(jazzer.toArray(String[]::new));
    }

    /**
     * A fresh corpus: for each RPC, random bytes ending in the three the fuzzer reads first (the form, the caller, the
     * RPC; Jazzer's FuzzedDataProvider takes numbers from the end). libFuzzer mutates inputs no longer than the longest
     * it has seen, and from nothing that is 4 bytes: enough to pick an RPC, hardly a field.
     */
    private static Path seeds() throws IOException {
        Path corpus = Path.of("bench", "target", "fuzz-corpus");
        TemporaryFolders.delete(corpus);
        Files.createDirectories(corpus);
        Random random = new Random(20261206);
        int rpcs = app.tandem.platform.grpc.PublicApi.services().stream().mapToInt(service -> service.getMethods().size()).sum();
        for (int rpc = 0; rpc < rpcs; rpc++) {
            byte[] seed = new byte[new int[] {256, 512, 1024, 2048}[random.nextInt(4)] + 3];
            random.nextBytes(seed);
            seed[seed.length - 3] = 5;
            seed[seed.length - 2] = (byte) random.nextInt(10);
            seed[seed.length - 1] = (byte) rpc;
            Files.write(corpus.resolve("seed-rpc-" + rpc), seed);
        }
        return corpus.toAbsolutePath();
    }

    /** Called by Jazzer once its agent is in place: the stack, the scene, the fuzzer. */
    public static void fuzzerInitialize() {
        RequestFuzzer.allowLoopbackOnly();
        System.out.printf("Fuzzing every public RPC through the gateway: %d inputs, one at a time, storage checked after refusals: %s, on %d cores%n",
                inputs, checkStorage, Runtime.getRuntime().availableProcessors());
        InProcessTandem tandem = new InProcessTandem(EmbeddedStack.shared().mongoUri(), EmbeddedStack.shared().kafkaBootstrapServers(),
                ScriptedLoad.gatewayLimits(100_000_000, 1_000_000));
        Map<String, MongoDatabase> databases = new LinkedHashMap<>();
        for (RunningService service : tandem.services.values()) {
            databases.put(service.name(), service.bean(MongoDatabase.class));
        }
        fuzzer = new RequestFuzzer(tandem.gateway, tandem.issuer, databases, tandem.clock, Duration.ofHours(12), checkStorage);
        System.out.printf("stack and scene ready after %.1f s; %d RPCs%n", (System.nanoTime() - started) / 1e9, fuzzer.rpcNames().size());
        fuzzingFrom = System.nanoTime();
    }

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        fuzzer.fuzz(data).ifPresent(FuzzBench::keep);
        long done = fuzzer.tally().inputs();
        if (done % 10_000 == 0) {
            System.out.printf("%,d inputs, %.0f/s, findings %d%n", done, done / ((System.nanoTime() - fuzzingFrom) / 1e9),
                    fuzzer.tally().findings().size());
        }
    }

    private static void keep(Finding finding) {
        System.out.println("FINDING " + finding.describe());
        try {
            Path folder = REPORTS.resolve("fuzz-findings");
            Files.createDirectories(folder);
            String name = finding.rpc().substring(finding.rpc().lastIndexOf('/') + 1) + "-" + (++saved);
            Files.write(folder.resolve(name + ".bin"), finding.request());
            Files.writeString(folder.resolve(name + ".txt"), finding.describe() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Called by Jazzer when the runs are done, before the JVM exits. */
    public static void fuzzerTearDown() {
        if (fuzzer == null) {
            return;
        }
        double seconds = (System.nanoTime() - fuzzingFrom) / 1e9;
        FuzzTally tally = fuzzer.tally();
        String report = report(tally, seconds);
        System.out.println(report);
        try {
            Files.createDirectories(REPORTS);
            Path file = REPORTS.resolve("fuzz-" + inputs + ".md");
            Files.writeString(file, report);
            System.out.println("report written to " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // nothing is left to keep: the other shutdown hooks would stop the broker under running consumers and wait a
        // minute for offsets they can no longer commit
        Runtime.getRuntime().halt(0);
    }

    private static String report(FuzzTally tally, double seconds) {
        StringBuilder text = new StringBuilder("# Fuzzing the public API through the gateway\n\n");
        text.append("Run ").append(LocalDateTime.now().withNano(0)).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores: journal-, plans-, notifications-, care-service and the gateway in one JVM on the embedded stack (KRaft broker, ")
                .append("Mongo-wire server in memory), Jazzer ").append("(libFuzzer, coverage of `app.tandem.**`) choosing the RPC, the ")
                .append("caller and the request, one request at a time; storage checked after every refusal: ").append(checkStorage)
                .append(".\n\n");
        text.append(String.format("- inputs run: %,d in %.0f s, %.0f per second%n", tally.inputs(), seconds, tally.inputs() / seconds));
        text.append("- findings: ").append(tally.findings().size()).append('\n');
        text.append("- requests by form: ").append(tally.perForm()).append('\n');
        text.append("- scenes made again after the couple was left or joined, or the consent ended: ").append(tally.renewals()).append('\n');
        text.append("- refusals sent again because counts moved while earlier requests' effects were on their way: ")
                .append(tally.rechecks()).append("\n\n");
        text.append("| status | answers |\n|---|---|\n");
        tally.perStatus().forEach((code, count) -> text.append("| ").append(code).append(" | ").append(count).append(" |\n"));
        text.append("\n| RPC | requests | answers |\n|---|---|---|\n");
        Map<String, Map<Status.Code, Long>> perRpc = tally.statusPerRpc();
        tally.perRpc().forEach((rpc, count) -> text.append("| ").append(rpc.replace("tandem.api.v1.", "")).append(" | ").append(count)
                .append(" | ").append(perRpc.get(rpc).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "))).append(" |\n"));
        if (!tally.findings().isEmpty()) {
            text.append("\n## Findings (requests saved in `bench/reports/fuzz-findings/`)\n\n");
            tally.findings().forEach(finding -> text.append("- ").append(finding.describe().replace("\n", "\n  ")).append('\n'));
        }
        return text.toString();
    }
}
