package app.tandem.platform.axon;

import app.tandem.devservers.DevServers;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * A read that reaches the replica which does not process the projection's segments waits for the replica that does:
 * until the tokens it stored reach the head of the store, no longer than the longest wait.
 */
class ReadYourWritesTest {

    private static final String PROCESSOR = "timeline";
    private static final Duration MAX_WAIT = Duration.ofSeconds(2);

    private final MongoClient client = MongoClients.create(DevServers.shared().mongoUri());
    private final MongoTemplate template = DefaultMongoTemplate.builder()
            .mongoDatabase(client.getDatabase("ryw-" + UUID.randomUUID().toString().substring(0, 8))).build();
    private final Serializer serializer = TandemSerializers.json();
    private final EventStore store = mock(EventStore.class);
    private final StreamingEventProcessor processor = mock(StreamingEventProcessor.class);
    private final CoalescingTokenStore otherReplica = CoalescingTokenStore.inMongo(template, serializer,
            Duration.ofMillis(10), Duration.ofSeconds(10), "other-replica");
    private final ReadYourWrites reads;
    /** Positions below the head that hold an event: a token's gap there is an event it has not handled yet. */
    private final java.util.Set<Long> storedGaps = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ReadYourWritesTest() {
        EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
        when(processing.eventProcessor(PROCESSOR, StreamingEventProcessor.class)).thenReturn(java.util.Optional.of(processor));
        when(store.createHeadToken()).thenReturn(new GlobalSequenceTrackingToken(10));
        reads = new ReadYourWrites(processing, store, new StoredPositions(template, serializer),
                positions -> positions.stream().filter(storedGaps::contains).collect(java.util.stream.Collectors.toSet()), MAX_WAIT);
        otherReplica.initializeTokenSegments(PROCESSOR, 2, new GlobalSequenceTrackingToken(4));
        otherReplica.fetchToken(PROCESSOR, 0);
        otherReplica.fetchToken(PROCESSOR, 1);
    }

    @AfterEach
    void close() {
        otherReplica.close();
        client.close();
    }

    @Test
    void aReadOnTheReplicaHoldingNoSegmentWaitsUntilTheOtherHasStoredTheHead() throws Exception {
        when(processor.processingStatus()).thenReturn(Map.of());
        long took = timed(() -> {
            Thread.sleep(400);
            otherReplica.storeToken(new GlobalSequenceTrackingToken(10), PROCESSOR, 0);
            otherReplica.storeToken(new GlobalSequenceTrackingToken(10), PROCESSOR, 1);
        });
        assertThat(took).as("waited for the other replica's tokens").isBetween(400L, MAX_WAIT.toMillis() - 500);
        assertThat(timed(() -> { })).as("with every stored token at the head, no wait").isLessThan(300);
    }

    @Test
    void aReadOnAReplicaHoldingOneSegmentWaitsForTheOtherToo() throws Exception {
        EventTrackerStatus segment0 = mock(EventTrackerStatus.class);
        when(segment0.getCurrentPosition()).thenReturn(OptionalLong.of(10));
        when(processor.processingStatus()).thenReturn(Map.of(0, segment0));
        otherReplica.releaseClaim(PROCESSOR, 0); // held here
        long took = timed(() -> {
            Thread.sleep(400);
            otherReplica.storeToken(new GlobalSequenceTrackingToken(10), PROCESSOR, 1);
        });
        assertThat(took).isBetween(400L, MAX_WAIT.toMillis() - 500);
    }

    /**
     * The other replica's later event became visible before this replica's write: the token is at the head with the
     * write's position as a gap. The read waits for it; a gap where nothing is stored (a position never used) it does not.
     */
    @Test
    void aReadWaitsForAnEventItsProcessorPassedOverButNotForAnUnusedPosition() throws Exception {
        EventTrackerStatus passedOver = segmentAt(GapAwareTrackingToken.newInstance(10, java.util.List.of(7L, 9L)));
        EventTrackerStatus caughtUp = segmentAt(GapAwareTrackingToken.newInstance(10, java.util.List.of(7L)));
        var status = new java.util.concurrent.atomic.AtomicReference<>(Map.of(0, passedOver, 1, caughtUp));
        when(processor.processingStatus()).thenAnswer(invocation -> status.get());
        storedGaps.add(9L); // 7 was never used

        long took = timed(() -> {
            Thread.sleep(400);
            status.set(Map.of(0, caughtUp, 1, caughtUp));
        });

        assertThat(took).as("waited for the event at 9").isBetween(400L, MAX_WAIT.toMillis() - 500);
        assertThat(timed(() -> { })).as("the unused position 7 is no reason to wait").isLessThan(300);
    }

    private static EventTrackerStatus segmentAt(GapAwareTrackingToken token) {
        EventTrackerStatus segment = mock(EventTrackerStatus.class);
        when(segment.getCurrentPosition()).thenReturn(token.position());
        when(segment.getTrackingToken()).thenReturn(token);
        return segment;
    }

    @Test
    void aReadWhoseSegmentsElsewhereStayBehindAnswersAfterTheLongestWait() throws Exception {
        when(processor.processingStatus()).thenReturn(Map.of());
        assertThat(timed(() -> { })).isBetween(MAX_WAIT.toMillis(), MAX_WAIT.toMillis() + 1_000);
    }

    private interface Step {
        void run() throws Exception;
    }

    /** How long a read took, in ms, while {@code meanwhile} ran beside it. */
    private long timed(Step meanwhile) throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Void> read = CompletableFuture.runAsync(() -> reads.awaitProjection(PROCESSOR));
        meanwhile.run();
        read.get();
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
