package app.tandem.platform.eventstore;

import app.tandem.devservers.WorkerProcess;
import app.tandem.devservers.DevServers;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static app.tandem.platform.eventstore.EventStoreFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of one service, each its own JVM, run the same tracking processor against one store and one
 * MongoDB token store: while the first holds the segments the second handles nothing; when the first is killed
 * with SIGKILL, the second takes its segments over once their claims time out and goes on from the stored
 * tokens, so every event has its effect exactly once.
 */
class SegmentClaimTest {

    private static final int EVENTS = 600;
    private final EventStoreFixture fixture = new EventStoreFixture();
    private final List<Process> workers = new ArrayList<>();

    @AfterEach
    void stop() {
        workers.forEach(Process::destroyForcibly);
        fixture.close();
    }

    @Test
    void aSecondInstanceTakesOverTheSegmentsOfAKilledOne() throws Exception {
        MongoEventStorageEngine engine = fixture.engine();
        for (int i = 0; i < EVENTS; i++) {
            engine.appendEvents(event("aggregate-" + (i % 37), i / 37));
        }
        try (MongoClient client = MongoClients.create(DevServers.shared().mongoUri())) {
            MongoDatabase database = client.getDatabase(fixture.database);
            var effects = database.getCollection("effects");

            Process first = startWorker("first");
            await().atMost(Duration.ofSeconds(60)).until(() -> effects.countDocuments() >= EVENTS);
            Process second = startWorker("second");
            for (int i = 0; i < EVENTS; i++) {
                engine.appendEvents(event("later-" + (i % 37), i / 37));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> effects.countDocuments() >= EVENTS + EVENTS / 2);
            assertThat(effects.countDocuments(new Document("worker", "second"))).as("claims held by the first are respected").isZero();

            first.destroyForcibly(); // SIGKILL while it holds both segments
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < EVENTS; i++) {
                engine.appendEvents(event("after-" + (i % 37), i / 37));
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> effects.countDocuments() == 3L * EVENTS);
            Thread.sleep(1_000); // a late extra effect would show now
            assertThat(effects.countDocuments()).isEqualTo(3L * EVENTS);
            assertThat(effects.countDocuments(new Document("worker", "second"))).as("the survivor took over").isPositive();
            assertThat(second.isAlive()).isTrue();
        }
    }

    private Process startWorker(String name) throws Exception {
        Process process = WorkerProcess.start(ClaimWorker.class, DevServers.shared().mongoUri(), fixture.database, "claims", name, "2000");
        workers.add(process);
        return process;
    }
}
