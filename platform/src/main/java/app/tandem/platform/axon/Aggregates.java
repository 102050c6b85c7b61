package app.tandem.platform.axon;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

import java.util.Optional;
import java.util.function.Function;

/**
 * Reads an aggregate's current state from its own events, outside any command: answers that must not lag
 * behind what was just decided (a plan's agreed steps when a lapse arrives, a boundary's history, who is in a couple).
 */
public class Aggregates {

    private final EventStore eventStore;

    public Aggregates(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /**
     * The reader's answer, or empty when there is no such aggregate (or the reader answers null). An id of another
     * kind of aggregate is no such aggregate: the repository reads only events of its own type.
     */
    public <T, R> Optional<R> read(Repository<T> repository, String id, Function<T, R> reader) {
        if (eventStore.lastSequenceNumberFor(id).isEmpty()) {
            return Optional.empty();
        }
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            return Optional.ofNullable(repository.load(id).invoke(reader));
        } catch (AggregateNotFoundException anotherKind) {
            return Optional.empty();
        } finally {
            // nothing was changed: release the aggregate without committing anything
            unitOfWork.rollback();
        }
    }
}
