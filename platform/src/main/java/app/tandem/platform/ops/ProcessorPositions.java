package app.tandem.platform.ops;

import app.tandem.platform.kafka.IntegrationEventRelay;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where each event processor of this instance is in the event store and how far behind its newest event: the one
 * reckoning behind the operators' API and the lag metrics, so both always say the same.
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

    public ProcessorPositions(Optional<EventProcessingConfiguration> processing, Optional<EventStore> eventStore,
                              Optional<IntegrationEventRelay> relay) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.relay = relay;
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
        relay.ifPresent(r -> {
            // live only where this replica holds the claim and publishes; elsewhere as its stored token has it
            List<Segment> live = r.publishingAt().stream().mapToObj(position -> publisher(position, head)).toList();
            processors.add(new Processor(IntegrationEventRelay.PROCESSOR_NAME, r.isRunning(), true, live));
        });
        return new Snapshot(head, processors);
    }

    private static Segment publisher(long position, long head) {
        return new Segment(IntegrationEventRelay.PROCESSOR_NAME, 0, position, Math.max(0, head - position), position >= head, false, 0, false);
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
