package app.tandem.plans.relapse;

import app.tandem.plans.relapse.RelapseCommands.ReachFollowUp;
import app.tandem.plans.relapse.RelapseEvents.FollowUpReached;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseEnded;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseStarted;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;
import app.tandem.platform.time.DueTimers;
import com.mongodb.client.MongoDatabase;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

/**
 * The relapse responses' follow-ups still to come, as durable timers: a tracking projection of the stored events,
 * so a follow-up exists exactly when its response was stored and the follow-up not yet reached, and a replay
 * rebuilds them. A follow-up that has come is announced to its response, which gives it once however often it is
 * announced, so a crash, a second replica or a retry never prompts twice and nothing due is lost.
 */
@Component
@ProcessingGroup(FollowUpSchedule.PROCESSOR)
public class FollowUpSchedule {

    public static final String PROCESSOR = "relapse-follow-ups";

    private static final Logger log = LoggerFactory.getLogger(FollowUpSchedule.class);
    /** A follow-up whose announcement failed (or whose replica died) is announced again after this. */
    private static final Duration RETRY = Duration.ofSeconds(30);
    private static final int BATCH = 100;

    private final DueTimers timers;
    private final CommandGateway commands;
    private final Clock clock;

    public FollowUpSchedule(MongoDatabase database, CommandGateway commands, Clock clock) {
        this.timers = new DueTimers(database.getCollection("relapse_follow_ups"), "dueAt", RETRY, clock);
        this.commands = commands;
        this.clock = clock;
    }

    @EventHandler
    void on(RelapseResponseStarted event) {
        schedule(event.lapseId(), Timeframe.FIRST_WEEK, event.firstWeekAt());
        schedule(event.lapseId(), Timeframe.FIRST_MONTH, event.firstMonthAt());
    }

    @EventHandler
    void on(FollowUpReached event) {
        timers.cancel(eq("_id", id(event.lapseId(), event.stage())));
    }

    @EventHandler
    void on(RelapseResponseEnded event) {
        timers.cancel(in("_id", List.of(id(event.lapseId(), Timeframe.FIRST_WEEK), id(event.lapseId(), Timeframe.FIRST_MONTH))));
    }

    @ResetHandler
    void reset() {
        timers.clear();
    }

    private void schedule(String lapseId, Timeframe stage, Instant dueAt) {
        timers.set(id(lapseId, stage), dueAt, new Document("lapseId", lapseId).append("stage", stage.name()));
    }

    /** Announces the follow-ups that have come; returns how many. */
    public int announceDue() {
        return timers.fireDue(BATCH, timer -> {
            String lapseId = timer.data().getString("lapseId");
            Timeframe stage = Timeframe.valueOf(timer.data().getString("stage"));
            try {
                commands.sendAndWait(new ReachFollowUp(lapseId, stage, clock.instant()));
            } catch (AggregateNotFoundException gone) {
                log.warn("follow-up {} of lapse {} has no response; dropping it", stage, lapseId);
            }
            return DueTimers.Outcome.DONE;
        });
    }

    private static String id(String lapseId, Timeframe stage) {
        return lapseId + "/" + stage.name();
    }
}
