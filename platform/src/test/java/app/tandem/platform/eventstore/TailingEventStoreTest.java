package app.tandem.platform.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static app.tandem.platform.eventstore.EventStoreFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's event store on the Mongo-wire server: readers at the head share one reader of the store and take its
 * events from a ring; a reader the ring moved past reads the store until it has caught up, and comes back.
 */
class TailingEventStoreTest {

    private final EventStoreFixture fixture = new EventStoreFixture();
    private final List<TailingEventStore> stores = new ArrayList<>();
    private final List<String> eventReads = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(TailingEventStore::shutDown);
        fixture.close();
    }

    private TailingEventStore store(int ringSize) {
        MongoEventStorageEngine engine = fixture.engine(command -> {
            if (command.getCommandName().equals("find") && command.getCommand().getString("find").getValue().equals(MongoEventStorageEngine.EVENTS)) {
                eventReads.add(command.getCommand().toJson());
            }
        }, Duration.ofSeconds(60), System::nanoTime);
        TailingEventStore store = TailingEventStore.builder().storageEngine(engine).cachedEvents(ringSize)
                .fetchDelay(Duration.ofMillis(100)).build();
        stores.add(store);
        return store;
    }

    private static List<String> read(TrackingEventStream stream, int count) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ids.size() < count && System.nanoTime() < deadline) {
            if (stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                ids.add(label(stream.nextAvailable()));
            }
        }
        return ids;
    }

    private static String label(TrackedEventMessage<?> event) {
        DomainEventMessage<?> domainEvent = (DomainEventMessage<?>) event;
        return domainEvent.getAggregateIdentifier() + "/" + domainEvent.getSequenceNumber();
    }

    private static List<String> labels(String aggregate, int count) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            labels.add(aggregate + "/" + i);
        }
        return labels;
    }

    @Test
    void readersAtTheHeadTakeEveryEventInOrderFromOneSharedReaderOfTheStore() throws Exception {
        TailingEventStore store = store(100);
        List<TrackingEventStream> readers = List.of(store.openStream(null), store.openStream(null), store.openStream(null));
        for (TrackingEventStream reader : readers) {
            assertThat(reader.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse(); // an empty store
        }
        eventReads.clear();
        for (int i = 0; i < 30; i++) {
            store.publish(event("a", i));
        }
        for (TrackingEventStream reader : readers) {
            assertThat(read(reader, 30)).containsExactlyElementsOf(labels("a", 30));
        }
        // the three readers shared the reads: at most one a stored event, where each reader on its own would ask too
        assertThat(eventReads.size()).as("reads of the events collection").isLessThanOrEqualTo(30);
        readers.forEach(TrackingEventStream::close);
    }

    @Test
    void aReaderTheRingMovedPastReadsTheStoreUntilItCaughtUpAndComesBack() throws Exception {
        TailingEventStore store = store(10);
        TrackingEventStream fast = store.openStream(null);
        TrackingEventStream slow = store.openStream(null);
        assertThat(fast.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(slow.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();
        for (int i = 0; i < 50; i++) {
            store.publish(event("a", i));
        }
        assertThat(read(fast, 50)).containsExactlyElementsOf(labels("a", 50));
        assertThat(read(slow, 50)).as("40 events left the ring before it read them").containsExactlyElementsOf(labels("a", 50));

        for (int i = 50; i < 60; i++) {
            store.publish(event("a", i));
        }
        assertThat(read(fast, 10)).containsExactlyElementsOf(labels("a", 60).subList(50, 60));
        assertThat(read(slow, 10)).containsExactlyElementsOf(labels("a", 60).subList(50, 60));
    }

    @Test
    void aStreamOpenedAtATokenStartsAfterIt() throws Exception {
        TailingEventStore store = store(100);
        for (int i = 0; i < 20; i++) {
            store.publish(event("a", i));
        }
        TrackingEventStream first = store.openStream(null);
        List<TrackingToken> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            assertThat(first.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
            tokens.add(first.nextAvailable().trackingToken());
        }
        TrackingEventStream later = store.openStream(tokens.get(11));
        assertThat(read(later, 8)).containsExactlyElementsOf(labels("a", 20).subList(12, 20));
        assertThat(later.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void eventsAnotherProcessStoredReachAReaderAtTheHead() throws Exception {
        TailingEventStore store = store(100);
        MongoEventStorageEngine otherProcess = fixture.engine();
        TrackingEventStream reader = store.openStream(null);
        store.publish(event("here", 0));
        assertThat(read(reader, 1)).containsExactly("here/0");
        otherProcess.appendEvents(event("elsewhere", 0), event("elsewhere", 1));
        assertThat(read(reader, 2)).containsExactly("elsewhere/0", "elsewhere/1");
    }

    @Test
    void readersOfDifferentSpeedsGetEveryEventOnceInOrderWhileWritersAppend() throws Exception {
        TailingEventStore store = store(16);
        int writers = 4;
        int each = 250;
        List<TrackingEventStream> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            readers.add(store.openStream(null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers + readers.size());
        try {
            List<Future<List<TrackedEventMessage<?>>>> reads = new ArrayList<>();
            AtomicInteger slowness = new AtomicInteger();
            for (TrackingEventStream reader : readers) {
                int pause = slowness.getAndIncrement(); // 0, 1 and 2 ms between events
                reads.add(pool.submit(() -> {
                    List<TrackedEventMessage<?>> got = new ArrayList<>();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (got.size() < writers * each && System.nanoTime() < deadline) {
                        if (reader.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                            got.add(reader.nextAvailable());
                            if (pause > 0 && ThreadLocalRandom.current().nextInt(4) == 0) {
                                Thread.sleep(pause);
                            }
                        }
                    }
                    return got;
                }));
            }
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String aggregate = "writer-" + w;
                writes.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        store.publish(event(aggregate, i));
                    }
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
            for (Future<List<TrackedEventMessage<?>>> read : reads) {
                List<TrackedEventMessage<?>> got = read.get(90, TimeUnit.SECONDS);
                assertThat(got).hasSize(writers * each);
                // an event that filled a gap carries the position its reader had reached, so positions may repeat
                assertThat(got).extracting(e -> e.trackingToken().position().orElseThrow()).isSorted();
                assertThat(got).extracting(TailingEventStoreTest::label).doesNotHaveDuplicates();
                for (int w = 0; w < writers; w++) {
                    String aggregate = "writer-" + w;
                    assertThat(got).extracting(TailingEventStoreTest::label).filteredOn(l -> l.startsWith(aggregate + "/"))
                            .containsExactlyElementsOf(labels(aggregate, each));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void afterShutDownNothingIsAvailable() throws Exception {
        TailingEventStore store = store(10);
        TrackingEventStream reader = store.openStream(null);
        store.publish(event("a", 0));
        assertThat(read(reader, 1)).containsExactly("a/0");
        store.shutDown();
        store.publish(event("a", 1));
        assertThat(reader.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();
    }
}
