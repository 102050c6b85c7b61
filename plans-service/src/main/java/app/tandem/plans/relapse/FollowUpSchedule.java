package app.tandem.plans.relapse;

import app.tandem.plans.relapse.RelapseEvents.FollowUpReached;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseEnded;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseStarted;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;
import app.tandem.platform.mongo.Claims;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import static com.mongodb.client.model.Filters.eq;

/**
 * The relapse responses' follow-ups that are still to come, durable in MongoDB. It is a tracking projection of
 * the stored events, so a follow-up exists exactly when its response was stored and the follow-up not yet
 * reached; a crash anywhere is repaired by the processor resuming from its stored token, and a replay rebuilds
 * it. {@link FollowUpScheduler} announces what is due.
 */
@Component
@ProcessingGroup(FollowUpSchedule.PROCESSOR)
public class FollowUpSchedule {

    public static final String PROCESSOR = "relapse-follow-ups";

    public record Due(String lapseId, Timeframe stage, Instant dueAt) {
    }

    /** A follow-up whose announcement failed (or whose replica died) is announced again after this. */
    private static final Duration RETRY = Duration.ofSeconds(30);

    private final MongoCollection<Document> followUps;
    private final Claims due;

    public FollowUpSchedule(MongoDatabase database, Clock clock) {
        this.followUps = database.getCollection("relapse_follow_ups");
        this.followUps.createIndex(Indexes.ascending("dueAt"));
        this.due = Claims.dueBy(followUps, "dueAt", RETRY, clock);
    }

    @EventHandler
    void on(RelapseResponseStarted event) {
        schedule(event.lapseId(), Timeframe.FIRST_WEEK, event.firstWeekAt());
        schedule(event.lapseId(), Timeframe.FIRST_MONTH, event.firstMonthAt());
    }

    @EventHandler
    void on(FollowUpReached event) {
        followUps.deleteOne(eq("_id", id(event.lapseId(), event.stage())));
    }

    @EventHandler
    void on(RelapseResponseEnded event) {
        for (Timeframe stage : List.of(Timeframe.FIRST_WEEK, Timeframe.FIRST_MONTH)) {
            followUps.deleteOne(eq("_id", id(event.lapseId(), stage)));
        }
    }

    @ResetHandler
    void reset() {
        followUps.deleteMany(new Document());
    }

    private void schedule(String lapseId, Timeframe stage, Instant dueAt) {
        followUps.replaceOne(eq("_id", id(lapseId, stage)), new Document("_id", id(lapseId, stage))
                .append("lapseId", lapseId)
                .append("stage", stage.name())
                .append("dueAt", Date.from(dueAt)), new ReplaceOptions().upsert(true));
    }

    /** The earliest follow-up due now that no replica holds, now held by this one. */
    public Optional<Due> claimNext() {
        return due.next().map(claim -> new Due(claim.item().getString("lapseId"), Timeframe.valueOf(claim.item().getString("stage")),
                claim.item().getDate("dueAt").toInstant()));
    }

    /** Once the response has the follow-up (or has ended), it need not be announced again. */
    void done(Due due) {
        followUps.deleteOne(eq("_id", id(due.lapseId(), due.stage())));
    }

    private static String id(String lapseId, Timeframe stage) {
        return lapseId + "/" + stage.name();
    }
}
