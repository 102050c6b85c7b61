package app.tandem.platform.eventstore;

import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static app.tandem.platform.eventstore.EventStoreFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Eight writers in two application contexts append 20,000 events while a tracking processor reads. The
 * second context's inserts are delayed after their positions were taken, so commits land out of order, and
 * its clock runs five seconds behind. The processor must handle every event exactly once.
 */
class ConcurrentAppendTest {

    private static final int WRITERS_PER_CONTEXT = 4;
    private static final int EVENTS_PER_WRITER = 2_500;
    private static final int EVENTS_PER_APPEND = 5;
    private static final Duration SKEW = Duration.ofSeconds(-5);

    private final EventStoreFixture fixture = new EventStoreFixture().withBackgroundCompaction();
    private TrackingEventProcessor processor;

    @AfterEach
    void close() {
        if (processor != null) {
            processor.shutDown();
        }
        fixture.close();
    }

    /** Counts how often each event reached it. */
    public static class Counter {
        final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

        @EventHandler
        public void on(Object payload, EventMessage<?> event) {
            seen.computeIfAbsent(event.getIdentifier(), id -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Test
    void everyEventIsHandledExactlyOnce() throws Exception {
        MongoEventStorageEngine contextA = fixture.engine();
        MongoEventStorageEngine contextB = fixture.engine(command -> {
            if (command.getCommandName().equals("insert")) {
                sleepMillis(ThreadLocalRandom.current().nextInt(0, 15)); // a slow commit after the position was taken
            }
        }, Duration.ofSeconds(60), System::nanoTime);

        Counter counter = new Counter();
        processor = EventStoreFixture.processor("counter", contextA, new InMemoryTokenStore(), 500, counter);
        processor.start();

        Set<String> appended = ConcurrentHashMap.newKeySet();
        ExecutorService writers = Executors.newFixedThreadPool(2 * WRITERS_PER_CONTEXT);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 2 * WRITERS_PER_CONTEXT; w++) {
            boolean inB = w % 2 == 1;
            MongoEventStorageEngine engine = inB ? contextB : contextA;
            String writer = "writer-" + w;
            done.add(writers.submit(() -> {
                for (int i = 0; i < EVENTS_PER_WRITER; i += EVENTS_PER_APPEND) {
                    String aggregate = writer + "-" + (i / 50);
                    List<DomainEventMessage<?>> batch = new ArrayList<>();
                    for (int k = 0; k < EVENTS_PER_APPEND; k++) {
                        Instant clock = inB ? Instant.now().plus(SKEW) : Instant.now();
                        batch.add(event(aggregate, (i % 50) + k, clock));
                    }
                    engine.appendEvents(batch);
                    batch.forEach(e -> appended.add(e.getIdentifier()));
                }
            }));
        }
        for (Future<?> writer : done) {
            writer.get(5, TimeUnit.MINUTES);
        }
        writers.shutdown();
        int total = 2 * WRITERS_PER_CONTEXT * EVENTS_PER_WRITER;
        assertThat(appended).hasSize(total);

        await().atMost(Duration.ofMinutes(2)).until(() -> counter.seen.size() == total);
        Thread.sleep(1_000); // anything arriving twice would arrive now
        assertThat(counter.seen.keySet()).isEqualTo(appended);
        assertThat(counter.seen.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    }

    private static void sleepMillis(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
