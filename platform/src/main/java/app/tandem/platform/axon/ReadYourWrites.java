package app.tandem.platform.axon;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

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
    private final Function<Collection<Long>, Set<Long>> storedAmong;
    private final long maxWaitNanos;

    /** @param storedAmong which of some positions hold a stored event (the storage engine's answer) */
    public ReadYourWrites(EventProcessingConfiguration processing, EventStore eventStore, StoredPositions stored,
                          Function<Collection<Long>, Set<Long>> storedAmong, Duration maxWait) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.stored = stored;
        this.storedAmong = storedAmong;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /**
     * The gaps of one read: positions at or below the head that a token passed without handling them. Another replica's
     * later event may be visible before this one's earlier write, so a token past the head may still lack that write.
     * A gap holding a stored event is waited for; one holding none is a write still under way, begun after the read,
     * or a position never to be used, and is not. Each gap is looked up once.
     */
    private final class Gaps {

        private final long newest;
        private final Map<Long, Boolean> holdsEvent = new HashMap<>();

        Gaps(long newest) {
            this.newest = newest;
        }

        /** Whether {@code token} has handled every event stored at or below the head. */
        boolean handledBy(TrackingToken token) {
            if (!(WrappedToken.unwrapLowerBound(token) instanceof GapAwareTrackingToken gapAware) || !gapAware.hasGaps()) {
                return true;
            }
            SortedSet<Long> open = gapAware.getGaps().headSet(newest + 1);
            List<Long> unknown = open.stream().filter(gap -> !holdsEvent.containsKey(gap)).toList();
            if (!unknown.isEmpty()) {
                Set<Long> found = storedAmong.apply(unknown);
                unknown.forEach(gap -> holdsEvent.put(gap, found.contains(gap)));
            }
            return open.stream().noneMatch(holdsEvent::get);
        }
    }

    public boolean awaitProjection(String processorName) {
        StreamingEventProcessor processor = processing.eventProcessor(processorName, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalArgumentException("no streaming processor " + processorName));
        TrackingToken head = eventStore.createHeadToken();
        if (head == null) {
            return true;
        }
        long newest = head.position().orElse(0);
        Gaps gaps = new Gaps(newest);
        long deadline = System.nanoTime() + maxWaitNanos;
        boolean othersDone = allHere(processorName, processor.processingStatus());
        long nextStoredLook = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Map<Integer, EventTrackerStatus> here = processor.processingStatus();
            if (!othersDone && System.nanoTime() >= nextStoredLook) {
                othersDone = othersHaveHandled(processorName, here, newest, gaps);
                nextStoredLook = System.nanoTime() + STORED_POLL_NANOS;
            }
            if (othersDone && hasHandled(here, newest, gaps)) {
                return true;
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return othersDone && hasHandled(processor.processingStatus(), newest, gaps);
    }

    private static boolean hasHandled(Map<Integer, EventTrackerStatus> segments, long position, Gaps gaps) {
        for (EventTrackerStatus segment : segments.values()) {
            if (segment.isErrorState() || segment.getCurrentPosition().orElse(0) < position || !gaps.handledBy(segment.getTrackingToken())) {
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
            known = new Segments(stored.tokens(processorName).keySet(), now);
            segments.put(processorName, known);
        }
        return here.keySet().containsAll(known.ids());
    }

    /** Whether the segments held elsewhere (stored, not processed here) have reached {@code position}. */
    private boolean othersHaveHandled(String processorName, Map<Integer, EventTrackerStatus> here, long position, Gaps gaps) {
        for (Map.Entry<Integer, TrackingToken> segment : stored.tokens(processorName).entrySet()) {
            TrackingToken token = segment.getValue();
            if (!here.containsKey(segment.getKey())
                    && (token == null || token.position().orElse(0) < position || !gaps.handledBy(token))) {
                return false;
            }
        }
        return true;
    }
}
