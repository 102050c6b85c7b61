package app.tandem.platform.axon;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A read from a projection sees every event stored before the read began, the caller's own writes among them: it
 * waits until the projection's processor has handled the newest event in the store, for at most {@code maxWait}, then
 * answers anyway so that a stalled projection does not stall reads. Segments this instance processes are watched in
 * memory; those another replica holds by their stored tokens, so a read that reaches the replica which did not write
 * waits as long as the token store lags ({@code tandem.event-store.token-write-interval}). Whether it caught up is
 * returned, for reads that must not take an absence for an answer while it lags.
 */
public class ReadYourWrites {

    private static final long POLL_NANOS = 200_000;
    private static final long STORED_POLL_NANOS = 20_000_000;
    /** How long the list of a processor's segments is trusted before the token store is asked again. */
    private static final long SEGMENTS_TTL_NANOS = 5_000_000_000L;

    private record Segments(Set<Integer> ids, long readAt) {
    }

    private final Map<String, Segments> segments = new ConcurrentHashMap<>();

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final StoredPositions stored;
    private final long maxWaitNanos;

    public ReadYourWrites(EventProcessingConfiguration processing, EventStore eventStore, StoredPositions stored, Duration maxWait) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.stored = stored;
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
        boolean othersDone = allHere(processorName, processor.processingStatus());
        long nextStoredLook = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Map<Integer, EventTrackerStatus> here = processor.processingStatus();
            if (!othersDone && System.nanoTime() >= nextStoredLook) {
                othersDone = othersHaveHandled(processorName, here, newest);
                nextStoredLook = System.nanoTime() + STORED_POLL_NANOS;
            }
            if (othersDone && hasHandled(here, newest)) {
                return true;
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return othersDone && hasHandled(processor.processingStatus(), newest);
    }

    private static boolean hasHandled(Map<Integer, EventTrackerStatus> segments, long position) {
        for (EventTrackerStatus segment : segments.values()) {
            if (segment.isErrorState() || segment.getCurrentPosition().orElse(0) < position) {
                return false;
            }
        }
        return true;
    }

    /** Whether this instance processes every segment of the processor, so no stored token needs reading. */
    private boolean allHere(String processorName, Map<Integer, EventTrackerStatus> here) {
        long now = System.nanoTime();
        Segments known = segments.get(processorName);
        if (known == null || now - known.readAt() > SEGMENTS_TTL_NANOS) {
            known = new Segments(stored.of(processorName).keySet(), now);
            segments.put(processorName, known);
        }
        return here.keySet().containsAll(known.ids());
    }

    /** Whether the segments held elsewhere (stored, not processed here) have reached {@code position}. */
    private boolean othersHaveHandled(String processorName, Map<Integer, EventTrackerStatus> here, long position) {
        for (Map.Entry<Integer, Long> segment : stored.of(processorName).entrySet()) {
            if (!here.containsKey(segment.getKey()) && segment.getValue() < position) {
                return false;
            }
        }
        return true;
    }
}
