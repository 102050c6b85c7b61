package app.tandem.journal.progress;

import app.tandem.journal.progress.ProgressEvents.JourneyStarted;
import app.tandem.journal.progress.ProgressEvents.MilestoneReached;
import app.tandem.journal.progress.ProgressEvents.UseRecorded;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;

/**
 * When the next milestone of each journey (days without use) can fall due, from the events that start a run and
 * celebrate its milestones; rebuilt by replay. Couple milestones have their own schedule ({@link CoupleMilestoneSchedule}).
 *
 * <p>It is updated by the tracker's own processor, in the order of the stream, and so trails the journeys by the
 * events the tracker has not reached yet; it only ever answers a moment that is not later than
 * theirs: a use it has not seen yet moves theirs later, and a milestone it has not seen yet leaves it at the one
 * before. A reset of that processor rebuilds it and sends no command again. Times are kept to the millisecond, and a
 * use in the same millisecond as the run's start starts the count again.
 */
@Component
@ProcessingGroup(ProgressTracker.PROCESSOR)
public class MilestonesDue {

    private static final String RUN_START = "runStart";
    private static final String PASSED = "passed";

    /** When the next milestone of a journey can be reached. */
    public record Due(Instant at, boolean never) {
        public boolean reachedBy(Instant moment) {
            return !never && !moment.isBefore(at);
        }
    }

    private final MongoCollection<Document> runs;

    public MilestonesDue(MongoDatabase database) {
        this.runs = database.getCollection("milestones_due");
    }

    @EventHandler
    void on(JourneyStarted event) {
        startOnce(event.journeyId(), event.countingSince());
    }

    @EventHandler
    void on(UseRecorded event) {
        if (event.countsAgainstGoal()) {
            // a use at or after the run's start begins a new run; an earlier one (told later) changes nothing
            runs.updateOne(and(eq("_id", event.journeyId()), lte(RUN_START, Date.from(event.occurredAt()))),
                    Updates.combine(Updates.set(RUN_START, Date.from(event.occurredAt())), Updates.set(PASSED, 0)));
        }
    }

    @EventHandler
    void on(MilestoneReached event) {
        runs.updateOne(and(eq("_id", event.journeyId()), eq(RUN_START, Date.from(event.streakStartedAt()))),
                Updates.max(PASSED, event.days()));
    }

    private void startOnce(String id, Instant since) {
        runs.updateOne(eq("_id", id), Updates.combine(Updates.setOnInsert(RUN_START, Date.from(since)),
                Updates.setOnInsert(PASSED, 0)), new UpdateOptions().upsert(true));
    }

    @ResetHandler
    void reset() {
        runs.deleteMany(new Document());
    }

    /** Forgets when the journey's next milestone falls due. */
    public void erase(String journeyId) {
        runs.deleteOne(eq("_id", journeyId));
    }

    /** The next milestone of each of the journeys {@code ids} that this view knows of, read at once. */
    public Map<String, Due> of(List<String> ids) {
        Map<String, Due> due = new HashMap<>();
        for (Document run : runs.find(in("_id", ids))) {
            Date runStart = run.getDate(RUN_START);
            Instant at = runStart == null ? Instant.MAX
                    : runStart.toInstant().plus(Duration.ofDays(Milestones.nextAfter(run.getInteger(PASSED, 0))));
            due.put(run.getString("_id"), new Due(at, runStart == null));
        }
        return due;
    }
}
