package app.tandem.devstack;

import app.tandem.devstack.fuzz.FuzzTally;
import app.tandem.devstack.fuzz.RequestFuzzer;
import app.tandem.testkit.RunningService;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every public request, fuzzed through the gateway on the embedded stack: Jazzer's coverage-guided inputs (this test
 * runs in a JVM of its own with {@code JAZZER_FUZZ} set, see the module's pom) become raw request bytes or messages
 * built from them, sent by partners of a real couple, an outsider, a counselor and an operator. None may be answered
 * INTERNAL, UNKNOWN or DATA_LOSS, log an error, or store anything when refused. Inputs that once failed live under
 * {@code PublicApiFuzzTestInputs/} and run first, as regression tests.
 */
@ExtendWith(EmbeddedTandem.class)
class PublicApiFuzzTest {

    private static RequestFuzzer fuzzer;

    @BeforeAll
    static void scene() {
        TandemUnderTest tandem = EmbeddedTandem.get();
        Map<String, MongoDatabase> databases = new LinkedHashMap<>();
        for (RunningService service : tandem.services.values()) {
            databases.put(service.name(), service.bean(MongoDatabase.class));
        }
        fuzzer = new RequestFuzzer(tandem.gateway, tandem.issuer, databases, tandem.clock, Duration.ofMinutes(30), true);
    }

    @FuzzTest(maxExecutions = 3000, maxDuration = "10s")
    void everyPublicRequestThroughTheGateway(FuzzedDataProvider data) {
        fuzzer.fuzz(data).ifPresent(finding -> {
            throw new AssertionError(finding.describe());
        });
    }

    @AfterAll
    static void summary() {
        FuzzTally tally = fuzzer.tally();
        System.out.printf("fuzzed %d requests over %d RPCs: %s; scenes renewed %d, refusals checked again %d%n", tally.inputs(),
                tally.perRpc().size(), tally.perStatus(), tally.renewals(), tally.rechecks());
    }
}
