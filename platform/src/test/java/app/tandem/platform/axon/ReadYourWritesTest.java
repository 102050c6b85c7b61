package app.tandem.platform.axon;

import app.tandem.devservers.DevServers;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
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

    ReadYourWritesTest() {
        EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
        when(processing.eventProcessor(PROCESSOR, StreamingEventProcessor.class)).thenReturn(java.util.Optional.of(processor));
        when(store.createHeadToken()).thenReturn(new GlobalSequenceTrackingToken(10));
        reads = new ReadYourWrites(processing, store, new StoredPositions(template, serializer), MAX_WAIT);
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
