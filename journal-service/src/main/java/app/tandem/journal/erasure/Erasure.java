package app.tandem.journal.erasure;

import app.tandem.journal.erasure.ErasureCommands.ConfirmErasure;
import app.tandem.journal.erasure.ErasureCommands.RequestErasure;
import app.tandem.journal.erasure.ErasureEvents.ErasureCompleted;
import app.tandem.journal.erasure.ErasureEvents.ErasureRequested;
import app.tandem.journal.erasure.ErasureEvents.ServiceErased;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A person's erasure, one per person: each round is requested once, then every service confirms that it holds nothing
 * readable of them. A request while a round runs is the same request; one after a round completed (the person came
 * back and asked again) starts the next round.
 */
@Aggregate
public class Erasure {

    @AggregateIdentifier
    private String erasureId;
    private int round;
    private boolean completed;
    private Set<String> services = Set.of();
    private final Set<String> confirmed = new HashSet<>();

    protected Erasure() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RequestErasure command) {
        if (round > 0 && !completed) {
            return; // a retry, or a second request while the first is running: the same erasure
        }
        apply(new ErasureRequested(command.erasureId(), command.personId(), round + 1, Set.copyOf(command.services()),
                command.requestReference(), command.now()));
    }

    @CommandHandler
    void handle(ConfirmErasure command) {
        if (completed || command.round() != round || !services.contains(command.service()) || confirmed.contains(command.service())) {
            return; // a redelivered confirmation, one of an earlier round, or one from a service not asked
        }
        apply(new ServiceErased(erasureId, round, command.service(), command.now()));
        if (confirmed.containsAll(services)) {
            apply(new ErasureCompleted(erasureId, round, command.now()));
        }
    }

    @EventSourcingHandler
    void on(ErasureRequested event) {
        erasureId = event.erasureId();
        round = event.round();
        services = new TreeSet<>(event.services());
        confirmed.clear();
        completed = false;
    }

    @EventSourcingHandler
    void on(ServiceErased event) {
        confirmed.add(event.service());
    }

    @EventSourcingHandler
    void on(ErasureCompleted event) {
        completed = true;
    }

}
