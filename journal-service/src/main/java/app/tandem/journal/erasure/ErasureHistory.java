package app.tandem.journal.erasure;

import app.tandem.api.v1.Erasure;
import app.tandem.journal.erasure.ErasureEvents.ErasureCompleted;
import app.tandem.journal.erasure.ErasureEvents.ErasureRequested;
import app.tandem.journal.erasure.ErasureEvents.ServiceErased;
import app.tandem.platform.grpc.Timestamps;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.TreeSet;

/** How far an erasure got, read from its own events: its latest round. */
@Component
public class ErasureHistory {

    private final EventStore events;

    public ErasureHistory(EventStore events) {
        this.events = events;
    }

    public Optional<Erasure> of(String erasureId) {
        Erasure.Builder erasure = null;
        TreeSet<String> erasedBy = new TreeSet<>();
        DomainEventStream stream = events.readEvents(erasureId);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            Object event = message.getPayload();
            if (event instanceof ErasureRequested requested) {
                erasure = Erasure.newBuilder().setErasureId(erasureId).setState(Erasure.State.IN_PROGRESS)
                        .setRequestedAt(Timestamps.of(requested.requestedAt()));
                erasedBy.clear();
            } else if (event instanceof ServiceErased erased && erasure != null) {
                erasedBy.add(erased.service());
            } else if (event instanceof ErasureCompleted completed && erasure != null) {
                erasure.setState(Erasure.State.COMPLETED).setCompletedAt(Timestamps.of(completed.completedAt()));
            }
        }
        return Optional.ofNullable(erasure).map(e -> e.addAllErasedBy(erasedBy).build());
    }
}
