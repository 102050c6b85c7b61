package app.tandem.plans.together;

import app.tandem.plans.together.WeekLookBackCommands.LookBackOnWeek;
import app.tandem.plans.together.WeekLookBackEvents.WeekEnded;
import app.tandem.platform.domain.Validation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The look back on one couple's week, its id the couple and the week: created once, so a timer fired twice, by two
 * replicas or after a crash, prompts nobody twice.
 */
@Aggregate
public class WeekLookBack {

    @AggregateIdentifier
    private String lookBackId;

    protected WeekLookBack() {
        // for Axon
    }

    @CommandHandler
    public WeekLookBack(LookBackOnWeek command) {
        new Validation()
                .require(command.lookBackId().equals(WeekLookBackCommands.idOf(command.coupleId(), command.weekStart())), "look_back_id",
                        "must name the couple and the week")
                .require(command.weekStart().equals(Weeks.startOf(command.weekStart())), "week_start", "must be the start of a week")
                .require(command.partners().size() == 2, "partners", "must be the couple's two partners")
                .orThrow();
        apply(new WeekEnded(command.lookBackId(), command.coupleId(), command.weekStart(), command.partners()));
    }

    @EventSourcingHandler
    void on(WeekEnded event) {
        lookBackId = event.lookBackId();
    }
}
