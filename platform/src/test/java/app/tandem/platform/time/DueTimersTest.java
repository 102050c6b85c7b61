package app.tandem.platform.time;

import app.tandem.devservers.DevServers;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

/** Durable timers over the Mongo-wire server with the real driver, fired by two replicas sharing them. */
class DueTimersTest {

    private static final Duration RETRY = Duration.ofSeconds(30);

    private static MongoClient client;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(DevServers.shared().mongoUri());
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void aTimerFiresOnceWhenItHasComeAndAgainAfterTheRetryOnlyWhenItsFiringSaidLater() {
        SettableClock clock = new SettableClock();
        MongoCollection<Document> stored = client.getDatabase("timers-test").getCollection(UUID.randomUUID().toString());
        DueTimers replicaA = new DueTimers(stored, "at", RETRY, clock);
        DueTimers replicaB = new DueTimers(stored, "at", RETRY, clock);
        replicaA.set("done", clock.instant().plusSeconds(60), new Document("stage", "FIRST_WEEK"));
        replicaA.set("later", clock.instant().plusSeconds(90), new Document());
        replicaA.set("cancelled", clock.instant().plusSeconds(60), new Document());
        replicaA.set("moved", clock.instant().plusSeconds(60), new Document());
        replicaA.set("moved", clock.instant().plusSeconds(3600), new Document());
        replicaA.cancel(eq("_id", "cancelled"));

        List<String> fired = new ArrayList<>();
        assertThat(replicaA.fireDue(10, timer -> DueTimers.Outcome.DONE)).as("nothing has come").isZero();

        clock.advance(Duration.ofSeconds(100));
        int firedByA = replicaA.fireDue(1, timer -> {
            fired.add(timer.id() + ":" + timer.data().getString("stage"));
            return DueTimers.Outcome.DONE;
        });
        int firedByB = replicaB.fireDue(10, timer -> {
            fired.add(timer.id());
            return DueTimers.Outcome.LATER;
        });
        assertThat(firedByA + firedByB).isEqualTo(2);
        assertThat(fired).as("earliest first, each by one replica").containsExactly("done:FIRST_WEEK", "later");
        assertThat(replicaA.fireDue(10, timer -> DueTimers.Outcome.DONE)).as("held by B until the retry").isZero();

        clock.advance(RETRY.plusSeconds(1));
        assertThat(replicaA.fireDue(10, timer -> {
            fired.add(timer.id());
            return DueTimers.Outcome.DONE;
        })).isEqualTo(1);
        assertThat(fired).endsWith("later");
        clock.advance(Duration.ofMinutes(5));
        assertThat(replicaB.fireDue(10, timer -> DueTimers.Outcome.DONE)).as("done timers are gone; the moved one waits")
                .isZero();
        assertThat(stored.countDocuments()).isEqualTo(1);

        replicaA.clear();
        assertThat(stored.countDocuments()).isZero();
    }
}
