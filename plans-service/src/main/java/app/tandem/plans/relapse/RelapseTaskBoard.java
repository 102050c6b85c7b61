package app.tandem.plans.relapse;

import app.tandem.plans.relapse.RelapseEvents.FollowUpReached;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseEnded;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseStarted;
import app.tandem.plans.relapse.RelapseEvents.TaskCompleted;
import app.tandem.plans.safetyplan.PlanSection.Role;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

import static com.mongodb.client.model.Filters.eq;

/**
 * Every relapse-response task, for the "what do I do now" list and for looking back. One document per lapse holds all
 * its tasks and is replaced whole by each event, so a reader sees a response's tasks all at once or not yet, never
 * the first of them without the rest. Writes are keyed by lapse, so a redelivered event changes nothing.
 */
@Component
@ProcessingGroup(RelapseTaskBoard.PROCESSOR)
public class RelapseTaskBoard {

    public static final String PROCESSOR = "relapse-task-lists";

    public record Entry(String lapseId, RelapseTask task, String coupleId, Instant issuedAt, boolean done, Instant doneAt) {
    }

    private final MongoCollection<Document> responses;

    public RelapseTaskBoard(MongoDatabase database) {
        this.responses = database.getCollection("relapse_task_lists");
        this.responses.createIndex(Indexes.ascending("coupleId"));
        this.responses.createIndex(Indexes.ascending("tasks.personId"));
    }

    @EventHandler
    void on(RelapseResponseStarted event) {
        List<Document> tasks = new ArrayList<>();
        event.tasks().forEach(task -> tasks.add(task(task, event.disclosedAt())));
        responses.replaceOne(eq("_id", event.lapseId()), new Document("_id", event.lapseId())
                .append("coupleId", event.coupleId())
                .append("open", true)
                .append("tasks", tasks), new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(FollowUpReached event) {
        change(event.lapseId(), response -> {
            List<Document> tasks = new ArrayList<>(tasksOf(response));
            for (RelapseTask task : event.tasks()) {
                if (tasks.stream().noneMatch(t -> t.getString("taskId").equals(task.taskId()))) {
                    tasks.add(task(task, event.reachedAt()));
                }
            }
            return response.append("tasks", tasks);
        });
    }

    @EventHandler
    void on(TaskCompleted event) {
        change(event.lapseId(), response -> {
            for (Document task : tasksOf(response)) {
                if (task.getString("taskId").equals(event.taskId()) && !task.getBoolean("done")) {
                    task.append("done", true).append("doneAt", Date.from(event.completedAt()));
                }
            }
            return response;
        });
    }

    @EventHandler
    void on(RelapseResponseEnded event) {
        change(event.lapseId(), response -> response.append("open", false));
    }

    @ResetHandler
    void reset() {
        responses.deleteMany(new Document());
    }

    /** Events of one lapse are handled in order by one thread, so a read, a change and a replace see no other writer. */
    private void change(String lapseId, UnaryOperator<Document> change) {
        Document response = responses.find(eq("_id", lapseId)).first();
        if (response != null) {
            responses.replaceOne(eq("_id", lapseId), change.apply(response));
        }
    }

    private static Document task(RelapseTask task, Instant issuedAt) {
        return new Document("taskId", task.taskId())
                .append("personId", task.personId())
                .append("role", task.role().name())
                .append("timeframe", task.timeframe().name())
                .append("kind", task.kind().name())
                .append("text", task.encryptedText())
                .append("textAuthor", task.textAuthor())
                .append("issuedAt", Date.from(issuedAt))
                .append("done", false);
    }

    private static List<Document> tasksOf(Document response) {
        return response.getList("tasks", Document.class);
    }

    /**
     * A person's tasks in a couple, oldest first: those not done of responses still under way, or with {@code includeDone}
     * every one.
     */
    public List<Entry> tasksOf(String personId, String coupleId, boolean includeDone) {
        List<Entry> result = new ArrayList<>();
        for (Document response : responses.find(eq("coupleId", coupleId))) {
            boolean open = response.getBoolean("open");
            for (Document task : tasksOf(response)) {
                if (task.getString("personId").equals(personId) && (includeDone || open && !task.getBoolean("done"))) {
                    result.add(entry(response.getString("_id"), coupleId, task));
                }
            }
        }
        result.sort(Comparator.comparing(Entry::issuedAt).thenComparing(Entry::lapseId).thenComparing(e -> order(e.task().taskId())));
        return result;
    }

    /** Every task the person was given, in any couple, done or not. */
    public List<Entry> everyTaskOf(String personId) {
        List<Entry> result = new ArrayList<>();
        for (Document response : responses.find(eq("tasks.personId", personId))) {
            for (Document task : tasksOf(response)) {
                if (task.getString("personId").equals(personId)) {
                    result.add(entry(response.getString("_id"), response.getString("coupleId"), task));
                }
            }
        }
        return result;
    }

    /** Removes the person's tasks from every response; the partner's tasks stay. */
    public void eraseTasksOf(String personId) {
        responses.updateMany(eq("tasks.personId", personId), Updates.pull("tasks", new Document("personId", personId)));
    }

    /** Task ids are a stage and a number ("immediately-2"); the number orders them within a stage. */
    private static int order(String taskId) {
        return Integer.parseInt(taskId.substring(taskId.lastIndexOf('-') + 1));
    }

    private static Entry entry(String lapseId, String coupleId, Document d) {
        RelapseTask task = new RelapseTask(d.getString("taskId"), d.getString("personId"), Role.valueOf(d.getString("role")),
                Timeframe.valueOf(d.getString("timeframe")), RelapseTask.Kind.valueOf(d.getString("kind")), d.getString("text"),
                d.getString("textAuthor"));
        Date doneAt = d.getDate("doneAt");
        return new Entry(lapseId, task, coupleId, d.getDate("issuedAt").toInstant(), d.getBoolean("done"),
                doneAt == null ? null : doneAt.toInstant());
    }
}
