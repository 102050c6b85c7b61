package app.tandem.plans.relapse;

import app.tandem.plans.relapse.RelapseEvents.FollowUpReached;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseEnded;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseStarted;
import app.tandem.plans.relapse.RelapseEvents.TaskCompleted;
import app.tandem.plans.safetyplan.PlanSection.Role;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/** Every relapse-response task, for the "what do I do now" list. Upserts keyed by lapse and task make redelivery harmless. */
@Component
@ProcessingGroup("relapse-tasks")
public class RelapseTaskBoard {

    public record Entry(String lapseId, RelapseTask task, String coupleId, Instant issuedAt, boolean done, Instant doneAt) {
    }

    private final MongoCollection<Document> tasks;

    public RelapseTaskBoard(MongoDatabase database) {
        this.tasks = database.getCollection("relapse_tasks");
    }

    @EventHandler
    void on(RelapseResponseStarted event) {
        event.tasks().forEach(task -> put(event.lapseId(), event.coupleId(), task, event.disclosedAt()));
    }

    @EventHandler
    void on(FollowUpReached event) {
        event.tasks().forEach(task -> put(event.lapseId(), event.coupleId(), task, event.reachedAt()));
    }

    @EventHandler
    void on(TaskCompleted event) {
        tasks.updateOne(eq("_id", event.lapseId() + "/" + event.taskId()),
                Updates.combine(Updates.set("done", true), Updates.set("doneAt", Date.from(event.completedAt()))));
    }

    @EventHandler
    void on(RelapseResponseEnded event) {
        tasks.updateMany(eq("lapseId", event.lapseId()), Updates.set("open", false));
    }

    @ResetHandler
    void reset() {
        tasks.deleteMany(new Document());
    }

    private void put(String lapseId, String coupleId, RelapseTask task, Instant issuedAt) {
        tasks.replaceOne(eq("_id", lapseId + "/" + task.taskId()), new Document("_id", lapseId + "/" + task.taskId())
                .append("lapseId", lapseId)
                .append("coupleId", coupleId)
                .append("taskId", task.taskId())
                .append("personId", task.personId())
                .append("role", task.role().name())
                .append("timeframe", task.timeframe().name())
                .append("kind", task.kind().name())
                .append("text", task.encryptedText())
                .append("textAuthor", task.textAuthor())
                .append("issuedAt", Date.from(issuedAt))
                .append("done", false)
                .append("open", true), new ReplaceOptions().upsert(true));
    }

    /** A person's tasks in a couple that are not done, of responses that have not ended; oldest first. */
    public List<Entry> openTasksOf(String personId, String coupleId) {
        List<Entry> result = new ArrayList<>();
        for (Document d : tasks.find(and(eq("coupleId", coupleId), eq("personId", personId), eq("done", false), eq("open", true)))
                .sort(Sorts.orderBy(Sorts.ascending("issuedAt"), Sorts.ascending("_id")))) {
            result.add(entry(d));
        }
        return result;
    }

    private static Entry entry(Document d) {
        RelapseTask task = new RelapseTask(d.getString("taskId"), d.getString("personId"), Role.valueOf(d.getString("role")),
                Timeframe.valueOf(d.getString("timeframe")), RelapseTask.Kind.valueOf(d.getString("kind")), d.getString("text"),
                d.getString("textAuthor"));
        Date doneAt = d.getDate("doneAt");
        return new Entry(d.getString("lapseId"), task, d.getString("coupleId"), d.getDate("issuedAt").toInstant(),
                d.getBoolean("done"), doneAt == null ? null : doneAt.toInstant());
    }
}
