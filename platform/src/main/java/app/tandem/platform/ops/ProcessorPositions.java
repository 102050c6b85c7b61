package app.tandem.platform.ops;

import app.tandem.platform.axon.StoredPositions;
import app.tandem.platform.kafka.IntegrationEventRelay;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where each event processor of this instance is in the event store and how far behind its newest event: the one
 * reckoning behind the operators' API and the lag metrics, so both always say the same. Operators also see the segments
 * other replicas hold, as the token store has them ({@link #everywhere}); the metrics only this instance's, so that a
 * sum over replicas counts each segment once.
 */
public class ProcessorPositions {

    /**
     * One segment this instance processes; {@code lag} is how many positions it is behind the store's head, and a
     * replaying one replays until {@code replayUntilPosition} (0 otherwise).
     */
    public record Segment(String processor, int segment, long position, long lag, boolean caughtUp, boolean replaying,
                          long replayUntilPosition, boolean error) {
    }

    /** A processor of this instance; {@code streaming} ones have segments, a subscribing one has none. */
    public record Processor(String name, boolean running, boolean streaming, List<Segment> segments) {
    }

    /** What one look found: the store's head position and every processor, the relay last, all by name. */
    public record Snapshot(long headPosition, List<Processor> processors) {

        public List<Segment> segments() {
            return processors.stream().flatMap(p -> p.segments().stream()).toList();
        }
    }

    private final Optional<EventProcessingConfiguration> processing;
    private final Optional<EventStore> eventStore;
    private final Optional<IntegrationEventRelay> relay;
    private final Optional<StoredPositions> stored;

    public ProcessorPositions(Optional<EventProcessingConfiguration> processing, Optional<EventStore> eventStore,
                              Optional<IntegrationEventRelay> relay, Optional<StoredPositions> stored) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.relay = relay;
        this.stored = stored;
    }

    /** The position of the newest stored event, 0 in a service that stores none. */
    public long headPosition() {
        TrackingToken head = eventStore.map(EventStore::createHeadToken).orElse(null);
        return head == null ? 0 : head.position().orElse(0);
    }

    /** Reads the head once, then every processor's segments held here. */
    public Snapshot snapshot() {
        long head = headPosition();
        List<Processor> processors = new ArrayList<>();
        new TreeMap<>(processing.map(EventProcessingConfiguration::eventProcessors).orElse(Map.<String, EventProcessor>of()))
                .forEach((name, processor) -> processors.add(processor(name, processor, head)));
        relay.filter(IntegrationEventRelay::isRunning).ifPresent(r -> {
            // the relay of this instance; a standby instance reports no position
            long position = r.lastPublished() == null ? 0 : r.lastPublished().position().orElse(0);
            processors.add(new Processor(IntegrationEventRelay.PROCESSOR_NAME, true, true, List.of(new Segment(
                    IntegrationEventRelay.PROCESSOR_NAME, 0, position, Math.max(0, head - position), position >= head, false, 0, false))));
        });
        return new Snapshot(head, processors);
    }

    /**
     * As {@link #snapshot}, with the segments other replicas hold as their stored tokens have them (at most
     * {@code tandem.event-store.token-write-interval} behind), the publisher's too where another replica publishes:
     * every segment once, whichever replica is asked.
     */
    public Snapshot everywhere() {
        Snapshot here = snapshot();
        if (stored.isEmpty()) {
            return here;
        }
        List<Processor> processors = new ArrayList<>();
        for (Processor processor : here.processors()) {
            processors.add(processor.streaming() ? withStored(processor, here.headPosition()) : processor);
        }
        if (relay.isPresent() && processors.stream().noneMatch(p -> p.name().equals(IntegrationEventRelay.PROCESSOR_NAME))) {
            Processor elsewhere = withStored(new Processor(IntegrationEventRelay.PROCESSOR_NAME, false, true, List.of()), here.headPosition());
            boolean claimed = stored.get().segments(IntegrationEventRelay.PROCESSOR_NAME).values().stream().anyMatch(s -> s.owner() != null);
            processors.add(new Processor(elsewhere.name(), claimed, true, elsewhere.segments()));
        }
        return new Snapshot(here.headPosition(), processors);
    }

    private Processor withStored(Processor processor, long head) {
        Set<Integer> held = processor.segments().stream().map(Segment::segment).collect(Collectors.toSet());
        List<Segment> segments = new ArrayList<>(processor.segments());
        for (StoredPositions.StoredSegment other : stored.orElseThrow().segments(processor.name()).values()) {
            if (!held.contains(other.segment())) {
                boolean replaying = other.replayUntil() > 0;
                segments.add(new Segment(processor.name(), other.segment(), other.position(), Math.max(0, head - other.position()),
                        other.position() >= head, replaying, other.replayUntil(), false));
            }
        }
        segments.sort(Comparator.comparingInt(Segment::segment));
        return new Processor(processor.name(), processor.running(), true, segments);
    }

    /** The processors with a segment in error here (each retrying with its back-off); no read of the store. */
    public List<String> inError() {
        return processing.map(EventProcessingConfiguration::eventProcessors).orElse(Map.of()).entrySet().stream()
                .filter(e -> e.getValue() instanceof StreamingEventProcessor streaming
                        && streaming.processingStatus().values().stream().anyMatch(EventTrackerStatus::isErrorState))
                .map(Map.Entry::getKey).sorted().toList();
    }

    private static Processor processor(String name, EventProcessor processor, long head) {
        if (!(processor instanceof StreamingEventProcessor streaming)) {
            return new Processor(name, processor.isRunning(), false, List.of());
        }
        List<Segment> segments = new ArrayList<>();
        new TreeMap<>(streaming.processingStatus()).forEach((segment, tracker) -> segments.add(segment(name, segment, tracker, head)));
        return new Processor(name, processor.isRunning(), true, segments);
    }

    private static Segment segment(String processor, int segment, EventTrackerStatus tracker, long head) {
        long position = tracker.getCurrentPosition().orElse(0);
        return new Segment(processor, segment, position, Math.max(0, head - position), tracker.isCaughtUp(), tracker.isReplaying(),
                tracker.isReplaying() ? tracker.getResetPosition().orElse(0) : 0, tracker.isErrorState());
    }
}
