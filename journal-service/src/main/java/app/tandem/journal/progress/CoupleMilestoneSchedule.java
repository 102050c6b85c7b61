package app.tandem.journal.progress;

import app.tandem.journal.couple.CoupleCommands.NoteJournalActivity;
import app.tandem.journal.couple.CoupleEvents.CoupleMilestoneReached;
import app.tandem.journal.couple.CoupleEvents.PartnerJoined;
import app.tandem.journal.couple.CoupleEvents.PartnerLeft;
import app.tandem.platform.time.DueTimers;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static com.mongodb.client.model.Filters.eq;

/**
 * Couple milestones (days together) on a daily schedule, never at the moment of anyone's check-in, which would tell
 * the partner when a private one was written. One durable timer per couple, set for the first midnight (UTC) at or
 * after its next milestone, from the join and the milestones reached: a tracking projection of the stored events,
 * rebuilt by a replay. When it has come the couple is told the day, and decides and records the milestone once;
 * recording it moves the timer to the next one, and a leave cancels it.
 */
@Component
@ProcessingGroup(CoupleMilestoneSchedule.PROCESSOR)
public class CoupleMilestoneSchedule {

    public static final String PROCESSOR = "couple-milestones";

    private static final String AT = "evaluateAt";
    private static final String SINCE = "togetherSince";
    private static final String PASSED = "passed";
    private static final Duration RETRY = Duration.ofHours(1);
    private static final int BATCH = 100;

    private final MongoCollection<Document> collection;
    private final DueTimers timers;
    private final CommandGateway commands;

    public CoupleMilestoneSchedule(MongoDatabase database, CommandGateway commands, Clock clock) {
        this.collection = database.getCollection("couple_milestone_timers");
        this.timers = new DueTimers(collection, AT, RETRY, clock);
        this.commands = commands;
    }

    @EventHandler
    void on(PartnerJoined event) {
        plan(event.coupleId(), event.joinedAt(), 0);
    }

    @EventHandler
    void on(CoupleMilestoneReached event) {
        Document timer = collection.find(eq("_id", event.coupleId())).first();
        if (timer != null && event.days() >= timer.getInteger(PASSED, 0)) {
            plan(event.coupleId(), timer.getDate(SINCE).toInstant(), event.days());
        }
    }

    @EventHandler
    void on(PartnerLeft event) {
        timers.cancel(eq("_id", event.coupleId()));
    }

    @ResetHandler
    void reset() {
        timers.clear();
    }

    private void plan(String coupleId, Instant togetherSince, int passed) {
        timers.set(coupleId, evaluationOf(togetherSince, passed),
                new Document(SINCE, java.util.Date.from(togetherSince)).append(PASSED, passed));
    }

    /** The first midnight (UTC) at or after the next milestone after {@code passed} days together. */
    static Instant evaluationOf(Instant togetherSince, int passed) {
        Instant due = togetherSince.plus(Duration.ofDays(Milestones.nextAfter(passed)));
        Instant day = due.truncatedTo(ChronoUnit.DAYS);
        return day.equals(due) ? day : day.plus(Duration.ofDays(1));
    }

    /** Tells each couple whose evaluation day has come; returns how many. */
    public int evaluateDue() {
        return timers.fireDue(BATCH, timer -> {
            commands.sendAndWait(new NoteJournalActivity(timer.id(), timer.at()));
            return DueTimers.Outcome.LATER; // moved on by the milestone the couple records, or cancelled by a leave
        });
    }
}
