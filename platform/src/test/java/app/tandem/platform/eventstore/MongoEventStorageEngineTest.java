package app.tandem.platform.eventstore;

import app.tandem.platform.eventstore.EventStoreFixture.Recorded;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import com.mongodb.client.model.IndexOptions;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static app.tandem.platform.eventstore.EventStoreFixture.event;
import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MongoEventStorageEngineTest {

    private final EventStoreFixture fixture = new EventStoreFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static List<Long> sequences(MongoEventStorageEngine engine, String aggregate) {
        return engine.readEvents(aggregate).asStream().map(DomainEventMessage::getSequenceNumber).toList();
    }

    private static List<TrackedEventMessage<?>> track(MongoEventStorageEngine engine, TrackingToken from) {
        return engine.readEvents(from, false).collect(Collectors.toList());
    }

    @Test
    void anAggregateIsReadBackInOrder() {
        MongoEventStorageEngine engine = fixture.engine();
        engine.appendEvents(event("a", 0), event("b", 0), event("a", 1));
        engine.appendEvents(event("a", 2));
        assertThat(sequences(engine, "a")).containsExactly(0L, 1L, 2L);
        assertThat(engine.lastSequenceNumberFor("a")).contains(2L);
        assertThat(engine.lastSequenceNumberFor("nobody")).isEmpty();
    }

    @Test
    void aConflictingAppendFailsCleanlyAndStoresNothing() {
        MongoEventStorageEngine engine = fixture.engine();
        engine.appendEvents(event("a", 0), event("a", 1));
        assertThatThrownBy(() -> engine.appendEvents(event("a", 1), event("a", 2))).isInstanceOf(ConcurrencyException.class);
        assertThatThrownBy(() -> engine.appendEvents(event("a", 0))).isInstanceOf(AggregateStreamCreationException.class);
        assertThat(sequences(engine, "a")).containsExactly(0L, 1L);
        assertThat(track(engine, null)).hasSize(2);
    }

    @Test
    void concurrentAppendsCommittedTogetherFailOnlyWhereTheyConflict() throws Exception {
        MongoEventStorageEngine engine = fixture.engine();
        engine.appendEvents(event("shared", 0));
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CyclicBarrier start = new CyclicBarrier(writers);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String own = "own-" + w;
            outcomes.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 50; i++) {
                    engine.appendEvents(event(own, i));
                }
                try {
                    // all eight race for the same next event of one aggregate: one wins
                    engine.appendEvents(event("shared", 1), event("shared", 2));
                    return true;
                } catch (ConcurrencyException lost) {
                    return false;
                }
            }));
        }
        long winners = 0;
        for (var outcome : outcomes) {
            winners += outcome.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(winners).isEqualTo(1);
        assertThat(sequences(engine, "shared")).containsExactly(0L, 1L, 2L);
        for (int w = 0; w < writers; w++) {
            assertThat(sequences(engine, "own-" + w)).hasSize(50);
        }
        assertThat(track(engine, null)).hasSize(3 + writers * 50)
                .extracting(e -> e.trackingToken().position().orElseThrow()).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aStoreKeyedByAggregateKeyTextIsReadAndAppendedToAfterAnUpgrade() {
        MongoEventStorageEngine engine = fixture.engine();
        engine.appendEvents(event("old", 0), event("old", 1));
        // as an earlier version kept it: a unique "aggregate id/sequence" text field instead of the compound index
        var stored = fixture.raw().getCollection(MongoEventStorageEngine.EVENTS);
        stored.dropIndex("aggregate_sequence");
        for (Document event : stored.find()) {
            stored.updateOne(new Document("_id", event.get("_id")), new Document("$set", new Document("aggregateKey",
                    event.getString("aggregateIdentifier") + "/" + event.get("sequenceNumber"))));
        }
        stored.createIndex(new Document("aggregateKey", 1), new IndexOptions().unique(true).name("aggregate_key"));

        MongoEventStorageEngine upgraded = fixture.engine();
        assertThat(sequences(upgraded, "old")).containsExactly(0L, 1L);
        assertThatThrownBy(() -> upgraded.appendEvents(event("old", 1))).isInstanceOf(ConcurrencyException.class);
        upgraded.appendEvents(event("old", 2), event("new", 0), event("new", 1));
        assertThat(sequences(upgraded, "old")).containsExactly(0L, 1L, 2L);
        assertThat(sequences(upgraded, "new")).containsExactly(0L, 1L);
        assertThat(stored.listIndexes().map(index -> index.getString("name")).into(new java.util.ArrayList<>()))
                .doesNotContain("aggregate_key");
    }

    @Test
    void theNewestSnapshotWins() {
        MongoEventStorageEngine engine = fixture.engine();
        engine.appendEvents(event("a", 0), event("a", 1), event("a", 2));
        engine.storeSnapshot(new GenericDomainEventMessage<>("Journal", "a", 2, new Recorded("a", 2)));
        engine.storeSnapshot(new GenericDomainEventMessage<>("Journal", "a", 1, new Recorded("a", 1)));
        DomainEventMessage<?> snapshot = engine.readSnapshot("a").orElseThrow();
        assertThat(snapshot.getSequenceNumber()).isEqualTo(2);
        assertThat(snapshot.getPayload()).isEqualTo(new Recorded("a", 2));
    }

    @Test
    void aSnapshotStoredByAnotherProcessIsUsedOnceItLooksAgain() {
        AtomicLong nanos = new AtomicLong();
        MongoEventStorageEngine reader = fixture.engine(command -> { }, Duration.ofSeconds(10), nanos::get);
        MongoEventStorageEngine writer = fixture.engine();
        writer.appendEvents(event("a", 0), event("a", 1));
        assertThat(reader.readSnapshot("a")).isEmpty(); // the store holds no snapshot: none asked for a minute

        writer.storeSnapshot(new GenericDomainEventMessage<>("Journal", "a", 1, new Recorded("a", 1)));
        assertThat(writer.readSnapshot("a")).isPresent();
        assertThat(reader.readSnapshot("a")).isEmpty();
        assertThat(sequences(reader, "a")).containsExactly(0L, 1L); // loaded from its events meanwhile

        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(reader.readSnapshot("a")).map(DomainEventMessage::getSequenceNumber).contains(1L);
    }

    @Test
    void trackingReadsEveryEventOnceInPositionOrder() {
        MongoEventStorageEngine engine = fixture.engine();
        for (int i = 0; i < 1200; i++) {
            engine.appendEvents(event("a" + (i % 7), i / 7));
        }
        List<TrackedEventMessage<?>> all = track(engine, null);
        assertThat(all).hasSize(1200);
        assertThat(all).extracting(e -> e.trackingToken().position().orElseThrow())
                .isSorted().doesNotHaveDuplicates();
        assertThat(track(engine, all.get(599).trackingToken())).hasSize(600);
        assertThat(engine.createHeadToken().position()).hasValue(1200);
    }

    /**
     * Axon's event producer reads again at once after every read that found something; at the head of the store that
     * second read finds nothing, and the engine answers it without asking the server.
     */
    @Test
    void aReaderThatHasReadEverythingThisProcessStoredAsksTheServerNothing() {
        List<String> finds = new CopyOnWriteArrayList<>();
        MongoEventStorageEngine engine = fixture.engine(command -> {
            if (command.getCommandName().equals("find")) {
                finds.add(command.getCommand().getString("find").getValue());
            }
        }, Duration.ofSeconds(60), System::nanoTime);
        engine.appendEvents(event("a", 0), event("a", 1));
        List<TrackedEventMessage<?>> read = track(engine, null);
        assertThat(read).hasSize(2);

        finds.clear();
        assertThat(track(engine, read.get(1).trackingToken())).isEmpty();
        assertThat(finds).as("reads of the events collection at the head").doesNotContain(MongoEventStorageEngine.EVENTS);

        engine.appendEvents(event("a", 2));
        assertThat(track(engine, read.get(1).trackingToken())).hasSize(1);
    }

    @Test
    void aWriterWhoseInsertIsDelayedTakesTheNextFreePositionAndIsDelivered() throws Exception {
        CountDownLatch slowWriterIsInserting = new CountDownLatch(1);
        CountDownLatch mayCommit = new CountDownLatch(1);
        MongoEventStorageEngine slow = fixture.engine(command -> {
            if (command.getCommandName().equals("insert") && slowWriterIsInserting.getCount() > 0) {
                slowWriterIsInserting.countDown();
                await(mayCommit);
            }
        }, Duration.ofSeconds(60), System::nanoTime);
        MongoEventStorageEngine fast = fixture.engine();

        CompletableFuture<Void> lateCommit = CompletableFuture.runAsync(() -> slow.appendEvents(event("late", 0)));
        assertThat(slowWriterIsInserting.await(10, TimeUnit.SECONDS)).isTrue();
        fast.appendEvents(event("early", 0));
        List<TrackedEventMessage<?>> first = track(fast, null);
        assertThat(first).extracting(e -> ((DomainEventMessage<?>) e).getAggregateIdentifier()).containsExactly("early");

        mayCommit.countDown();
        lateCommit.get(10, TimeUnit.SECONDS);
        // another process's event is seen once the reader looks up the highest position again, within 250 ms
        List<TrackedEventMessage<?>> next = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2))
                .until(() -> track(fast, first.get(0).trackingToken()), read -> !read.isEmpty());
        assertThat(next).extracting(e -> ((DomainEventMessage<?>) e).getAggregateIdentifier()).containsExactly("late");
        assertThat(next.get(0).trackingToken().position()).hasValue(2);
        assertThat(((GapAwareTrackingToken) next.get(0).trackingToken()).getGaps()).isEmpty();
    }

    @Test
    void aReaderWaitsForAMissingPositionAndGivesItUpOnlyAfterTheGapTimeout() {
        AtomicLong readerClock = new AtomicLong();
        MongoEventStorageEngine engine = fixture.engine(command -> { }, Duration.ofSeconds(60), readerClock::get);
        engine.appendEvents(event("a", 0));
        // position 3 becomes visible while 2 is still missing, as with a replica that applies out of order
        Document stored = fixture.raw().getCollection(MongoEventStorageEngine.EVENTS).find(eq("_id", 1L)).first();
        fixture.raw().getCollection(MongoEventStorageEngine.EVENTS).insertOne(stored.append("_id", 3L)
                .append("eventIdentifier", "out-of-order").append("sequenceNumber", 1L).append("aggregateKey", "a/1"));

        TrackingToken afterFirst = track(engine, null).get(0).trackingToken();
        List<TrackedEventMessage<?>> read = track(engine, afterFirst);
        assertThat(read).hasSize(1);
        assertThat(((GapAwareTrackingToken) read.get(0).trackingToken()).getGaps()).containsExactly(2L);

        readerClock.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(((GapAwareTrackingToken) track(engine, afterFirst).get(0).trackingToken()).getGaps()).containsExactly(2L);

        readerClock.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(((GapAwareTrackingToken) track(engine, afterFirst).get(0).trackingToken()).getGaps()).isEmpty();
    }

    @Test
    void aLateArrivalInAGapIsDeliveredBeforeTheTimeout() {
        MongoEventStorageEngine engine = fixture.engine();
        engine.appendEvents(event("a", 0));
        Document stored = fixture.raw().getCollection(MongoEventStorageEngine.EVENTS).find(eq("_id", 1L)).first();
        fixture.raw().getCollection(MongoEventStorageEngine.EVENTS).insertOne(new Document(stored).append("_id", 3L)
                .append("eventIdentifier", "third").append("sequenceNumber", 2L).append("aggregateKey", "a/2"));
        TrackingToken withGap = track(engine, null).get(1).trackingToken();
        assertThat(((GapAwareTrackingToken) withGap).getGaps()).containsExactly(2L);

        fixture.raw().getCollection(MongoEventStorageEngine.EVENTS).insertOne(new Document(stored).append("_id", 2L)
                .append("eventIdentifier", "second").append("sequenceNumber", 1L).append("aggregateKey", "a/1"));
        List<TrackedEventMessage<?>> late = track(engine, withGap);
        assertThat(late).extracting(TrackedEventMessage::getIdentifier).containsExactly("second");
        assertThat(((GapAwareTrackingToken) late.get(0).trackingToken()).getGaps()).isEmpty();
    }

    @Test
    void settledHistoryIsPackedIntoPagesAndReadsTheSameFromThem() {
        MongoEventStorageEngine engine = fixture.engine();
        for (int i = 0; i < 2_500; i++) {
            engine.appendEvents(event("a" + (i % 7), i / 7));
        }
        List<String> before = track(engine, null).stream().map(TrackedEventMessage::getIdentifier).toList();
        TrackingToken middle = track(engine, null).get(1_499).trackingToken();

        assertThat(engine.compactSettledPages()).as("two full pages of 1,000; the last 500 are not settled").isEqualTo(2);
        assertThat(fixture.raw().getCollection(MongoEventStorageEngine.PAGES).countDocuments()).isEqualTo(2);

        List<TrackedEventMessage<?>> after = track(engine, null);
        assertThat(after).extracting(TrackedEventMessage::getIdentifier).containsExactlyElementsOf(before);
        assertThat(after).extracting(e -> e.trackingToken().position().orElseThrow()).isSorted().doesNotHaveDuplicates();
        assertThat(track(engine, middle)).extracting(TrackedEventMessage::getIdentifier).containsExactlyElementsOf(before.subList(1_500, 2_500));
        assertThat(sequences(engine, "a3")).hasSize(357);
    }

    @Test
    void aPageWithAMissingPositionWaitsForTheGapTimeout() {
        AtomicLong clock = new AtomicLong();
        MongoEventStorageEngine engine = fixture.engine(command -> { }, Duration.ofSeconds(60), clock::get);
        for (int i = 0; i < 1_000; i++) {
            engine.appendEvents(event("a", i));
        }
        fixture.raw().getCollection(MongoEventStorageEngine.EVENTS).deleteOne(eq("_id", 500L)); // never committed
        engine.appendEvents(event("a", 1_000));

        assertThat(engine.compactSettledPages()).isZero();
        clock.addAndGet(Duration.ofSeconds(61).toNanos());
        assertThat(engine.compactSettledPages()).isEqualTo(1);
        assertThat(track(engine, null)).hasSize(1_000);
    }

    @Test
    void aWriterClockSkewedByMinutesChangesNothingForReaders() {
        MongoEventStorageEngine engine = fixture.engine();
        engine.appendEvents(event("now", 0));
        engine.appendEvents(event("skewed", 0, java.time.Instant.now().minus(Duration.ofMinutes(10))));
        engine.appendEvents(event("now", 1));
        assertThat(track(engine, null)).extracting(e -> ((DomainEventMessage<?>) e).getAggregateIdentifier())
                .containsExactly("now", "skewed", "now");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
