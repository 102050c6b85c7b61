package app.tandem.platform.axon;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A read from a projection sees every event stored before the read began, the caller's own writes among them: it
 * waits until the projection's processor has handled the newest event in the store (in every segment this instance
 * processes), for at most {@code maxWait}, then answers anyway so that a stalled projection does not stall reads.
 * Whether it caught up is returned, for reads that must not take an absence for an answer while it lags.
 */
public class ReadYourWrites {

    private static final long POLL_NANOS = 200_000;

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final long maxWaitNanos;

    public ReadYourWrites(EventProcessingConfiguration processing, EventStore eventStore, Duration maxWait) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.maxWaitNanos = maxWait.toNanos();
    }

    public boolean awaitProjection(String processorName) {
        StreamingEventProcessor processor = processing.eventProcessor(processorName, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalArgumentException("no streaming processor " + processorName));
        TrackingToken head = eventStore.createHeadToken();
        if (head == null) {
            return true;
        }
        long newest = head.position().orElse(0);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (!hasHandled(processor.processingStatus(), newest) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return hasHandled(processor.processingStatus(), newest);
    }

    private static boolean hasHandled(Map<Integer, EventTrackerStatus> segments, long position) {
        for (EventTrackerStatus segment : segments.values()) {
            if (segment.isErrorState() || segment.getCurrentPosition().orElse(0) < position) {
                return false;
            }
        }
        return true;
    }
}
