package app.tandem.plans.support;

import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

import java.util.Optional;
import java.util.function.Function;

/**
 * Reads an aggregate's current state from its own events, outside any command: answers that must not lag
 * behind what was just decided (a plan's agreed steps when a lapse arrives, a boundary's history).
 */
public final class Aggregates {

    private Aggregates() {
    }

    public static <T, R> Optional<R> read(Repository<T> repository, String id, Function<T, R> reader) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            R result = repository.load(id).invoke(reader);
            return Optional.ofNullable(result);
        } catch (AggregateNotFoundException e) {
            return Optional.empty();
        } finally {
            // nothing was changed: release the aggregate without committing anything
            unitOfWork.rollback();
        }
    }
}
