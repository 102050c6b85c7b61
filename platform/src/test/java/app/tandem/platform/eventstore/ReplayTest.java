package app.tandem.platform.eventstore;

import app.tandem.platform.axon.CoalescingTokenStore;
import app.tandem.platform.axon.TandemSerializers;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static app.tandem.platform.eventstore.EventStoreFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reset rebuilds a projection from the first event, with its replay token kept in the MongoDB token
 * store, while a side-effecting handler in the same processor runs zero times during the replay.
 */
class ReplayTest {

    private static final int EVENTS = 1_000;

    private final EventStoreFixture fixture = new EventStoreFixture();
    private TrackingEventProcessor processor;

    @AfterEach
    void close() {
        if (processor != null) {
            processor.shutDown();
        }
        fixture.close();
    }

    public static class Projection {
        final AtomicInteger rows = new AtomicInteger();
        final AtomicInteger resets = new AtomicInteger();

        @EventHandler
        public void on(EventStoreFixture.Recorded event) {
            rows.incrementAndGet();
        }

        @ResetHandler
        public void reset() {
            resets.incrementAndGet();
            rows.set(0);
        }
    }

    /** Stands for a prompt, an email, a webhook. */
    public static class SideEffect {
        final AtomicInteger sent = new AtomicInteger();

        @EventHandler
        @DisallowReplay
        public void on(EventStoreFixture.Recorded event) {
            sent.incrementAndGet();
        }
    }

    @Test
    void aResetRebuildsTheProjectionWithoutASingleSideEffect() {
        MongoEventStorageEngine engine = fixture.engine();
        Projection projection = new Projection();
        SideEffect sideEffect = new SideEffect();
        // as the services keep tokens: a step forward is written at most every 100 ms, a reset at once
        CoalescingTokenStore tokens = CoalescingTokenStore.inMongo(DefaultMongoTemplate.builder().mongoDatabase(fixture.raw()).build(),
                TandemSerializers.json(), Duration.ofMillis(100), Duration.ofSeconds(10), "replayer");
        processor = EventStoreFixture.processor("timeline", engine, tokens, 200, projection, sideEffect);
        processor.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !processor.processingStatus().isEmpty());
        // live events: they happen while the processor runs (history that predates a new processor counts as
        // a replay in Axon, so its side effects are not sent either)
        for (int i = 0; i < EVENTS; i++) {
            engine.appendEvents(event("a" + (i % 10), i / 10));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> projection.rows.get() == EVENTS);
        assertThat(sideEffect.sent).hasValue(EVENTS);

        // let the processor hold its claim before stopping it, as an operator's reset would
        await().atMost(Duration.ofSeconds(10)).until(() -> !processor.processingStatus().isEmpty());
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        // the projection is rebuilt once the replay reached the position of the reset
        await().atMost(Duration.ofSeconds(30)).until(() -> projection.resets.get() == 1 && projection.rows.get() == EVENTS
                && processor.processingStatus().get(0).getCurrentPosition().orElse(0) == EVENTS);
        assertThat(sideEffect.sent).as("side effects during the replay of %d events", EVENTS).hasValue(EVENTS);

        // the first event after the reset position ends the replay and reaches both handlers
        engine.appendEvents(event("after-replay", 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> projection.rows.get() == EVENTS + 1 && sideEffect.sent.get() == EVENTS + 1);
        assertThat(processor.processingStatus().get(0).isReplaying()).isFalse();
    }
}
