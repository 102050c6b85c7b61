package app.tandem.plans.relapse;

import app.tandem.plans.relapse.RelapseEvents.FollowUpReached;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseEnded;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseStarted;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;

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

    private final MongoCollection<Document> followUps;

    public FollowUpSchedule(MongoDatabase database) {
        this.followUps = database.getCollection("relapse_follow_ups");
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

    /** Follow-ups due at {@code now}, earliest first. */
    public List<Due> dueAt(Instant now, int limit) {
        List<Due> due = new ArrayList<>();
        for (Document d : followUps.find(lte("dueAt", Date.from(now))).sort(Sorts.ascending("dueAt")).limit(limit)) {
            due.add(new Due(d.getString("lapseId"), Timeframe.valueOf(d.getString("stage")), d.getDate("dueAt").toInstant()));
        }
        return due;
    }

    /** Once the response has the follow-up (or has ended), it need not be announced again. */
    void done(Due due) {
        followUps.deleteOne(eq("_id", id(due.lapseId(), due.stage())));
    }

    private static String id(String lapseId, Timeframe stage) {
        return lapseId + "/" + stage.name();
    }
}
