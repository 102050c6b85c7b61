package app.tandem.platform.mongo;

import app.tandem.devservers.DevServers;
import app.tandem.platform.time.SettableClock;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

/** Claims over the Mongo-wire server with the real driver, as replicas sharing due work use them. */
class ClaimsTest {

    private static final Duration LEASE = Duration.ofMinutes(1);

    private static MongoClient client;
    private static final SettableClock clock = new SettableClock();

    @BeforeAll
    static void connect() {
        client = MongoClients.create(DevServers.shared().mongoUri());
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static MongoCollection<Document> collection() {
        return client.getDatabase("claims-test").getCollection(UUID.randomUUID().toString());
    }

    private static void due(MongoCollection<Document> items, String id, Instant at) {
        items.insertOne(new Document("_id", id).append("dueAt", Date.from(at)));
    }

    @Test
    void replicasRacingForDueWorkEachTakeADifferentItemAndEveryItemIsTakenOnce() throws Exception {
        MongoCollection<Document> items = collection();
        Instant now = clock.instant();
        for (int i = 0; i < 300; i++) {
            due(items, "item-" + i, now.minusSeconds(i));
        }
        due(items, "later", now.plusSeconds(60));
        // four replicas, each with its own claims over the same collection
        Map<String, AtomicInteger> taken = new ConcurrentHashMap<>();
        ExecutorService replicas = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                Claims claims = Claims.dueBy(items, "dueAt", LEASE, clock);
                running.add(replicas.submit(() -> {
                    Optional<Claims.Claim> claim;
                    while ((claim = claims.next()).isPresent()) {
                        taken.computeIfAbsent(claim.get().item().getString("_id"), id -> new AtomicInteger()).incrementAndGet();
                    }
                }));
            }
            for (Future<?> replica : running) {
                replica.get();
            }
        } finally {
            replicas.shutdownNow();
        }
        assertThat(taken).hasSize(300).doesNotContainKey("later");
        assertThat(taken.values()).allSatisfy(count -> assertThat(count.get()).isOne());
    }

    @Test
    void theEarliestDueIsTakenFirstAndAClaimThatRanOutIsTakenAgain() {
        MongoCollection<Document> items = collection();
        Instant now = clock.instant();
        due(items, "second", now.minusSeconds(1));
        due(items, "first", now.minusSeconds(2));
        Claims claims = Claims.dueBy(items, "dueAt", LEASE, clock);
        Claims.Claim first = claims.next().orElseThrow();
        assertThat(first.item().getString("_id")).isEqualTo("first");
        assertThat(claims.next().orElseThrow().item().getString("_id")).isEqualTo("second");
        assertThat(claims.next()).isEmpty();

        clock.advance(LEASE.plusSeconds(1)); // the replica holding them died
        Claims.Claim again = claims.next().orElseThrow();
        assertThat(again.item().getString("_id")).isEqualTo("first");
        // the first holder's late write finds nothing: the item is no longer its own
        assertThat(items.updateOne(first.mine(), Updates.set("done", true)).getModifiedCount()).isZero();
        assertThat(items.updateOne(again.mine(), Updates.combine(Updates.set("done", true), Claims.release())).getModifiedCount()).isOne();
        assertThat(items.find(eq("_id", "first")).first()).doesNotContainKeys(Claims.CLAIMED_BY, Claims.CLAIMED_UNTIL);
    }

    @Test
    void aLockIsHeldByOneReplicaUntilItIsGoneOrHasRunOut() {
        MongoCollection<Document> locks = collection();
        Claims one = Claims.locks(locks, LEASE, clock);
        Claims other = Claims.locks(locks, LEASE, clock);
        Claims.Claim held = one.lock("digest/robin/1").orElseThrow();
        assertThat(other.lock("digest/robin/1")).isEmpty();
        assertThat(other.lock("digest/kim/1")).isPresent();

        locks.deleteOne(held.mine());
        Claims.Claim next = other.lock("digest/robin/1").orElseThrow();
        assertThat(one.lock("digest/robin/1")).isEmpty();

        clock.advance(LEASE.plusSeconds(1));
        assertThat(one.lock("digest/robin/1")).isPresent();
        assertThat(locks.deleteOne(next.mine()).getDeletedCount()).isZero();
    }
}
