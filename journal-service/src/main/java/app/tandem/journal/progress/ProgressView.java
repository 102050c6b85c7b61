package app.tandem.journal.progress;

import app.tandem.journal.progress.ProgressEvents.GoalSet;
import app.tandem.journal.progress.ProgressEvents.JourneyStarted;
import app.tandem.journal.progress.ProgressEvents.MilestoneReached;
import app.tandem.journal.progress.ProgressEvents.UseRecorded;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
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
import java.util.Optional;

import static com.mongodb.client.model.Filters.eq;

/**
 * Each person's goals, counted uses and milestones, rebuilt by replay. Array entries are keyed by the event that
 * added them and only added when absent, so a redelivered event adds nothing.
 */
@Component
@ProcessingGroup(ProgressView.PROCESSOR)
public class ProgressView {

    public static final String PROCESSOR = "progress-view";

    public record Goal(GoalKind kind, List<Substance> substances, boolean shareProgressWithPartner, Instant setAt) {
    }

    public record Milestone(int days, Instant reachedAt) {
    }

    /** A milestone as it was celebrated: its days without use and the goal they were counted against (null: none). */
    public record MilestoneFacts(int days, GoalKind goalKind) {
    }

    public record Progress(Instant countingSince, List<Goal> goals, List<Instant> countedUses, List<Milestone> milestones) {
    }

    private final MongoCollection<Document> people;

    public ProgressView(MongoDatabase database) {
        this.people = database.getCollection("progress");
    }

    @EventHandler
    void on(JourneyStarted event) {
        people.updateOne(eq("_id", event.personId()), Updates.combine(Updates.set("since", Date.from(event.countingSince())),
                Updates.setOnInsert("goals", List.of()), Updates.setOnInsert("uses", List.of()),
                Updates.setOnInsert("milestones", List.of())), new UpdateOptions().upsert(true));
    }

    @EventHandler
    void on(GoalSet event) {
        if (event.kind() == null) {
            return; // its person was erased
        }
        appendOnce(event.personId(), "goals", event.requestId(), new Document("kind", event.kind().name())
                .append("substances", event.substances().stream().map(Enum::name).toList())
                .append("share", event.shareProgressWithPartner())
                .append("at", Date.from(event.setAt())));
    }

    @EventHandler
    void on(UseRecorded event) {
        if (event.countsAgainstGoal()) {
            appendOnce(event.personId(), "uses", event.useId(), new Document("at", Date.from(event.occurredAt())));
        }
    }

    @EventHandler
    void on(MilestoneReached event) {
        appendOnce(event.personId(), "milestones", event.milestoneId(), new Document("days", event.days())
                .append("goalKind", event.goalKind() == null ? null : event.goalKind().name())
                .append("at", Date.from(event.reachedAt())));
    }

    private void appendOnce(String personId, String array, String key, Document item) {
        item.append("key", key);
        people.updateOne(Filters.and(eq("_id", personId), Filters.ne(array + ".key", key)), Updates.push(array, item));
    }

    @ResetHandler
    void reset() {
        people.deleteMany(new Document());
    }

    /** Removes the person's goals, counted uses and milestones. */
    public void erase(String personId) {
        people.deleteOne(eq("_id", personId));
    }

    /** One of the person's milestones; empty when the person or the milestone is unknown. */
    public Optional<MilestoneFacts> milestone(String personId, String milestoneId) {
        Document d = people.find(eq("_id", personId)).first();
        if (d == null) {
            return Optional.empty();
        }
        return d.getList("milestones", Document.class).stream().filter(m -> milestoneId.equals(m.getString("key"))).findFirst()
                .map(m -> new MilestoneFacts(m.getInteger("days"), m.getString("goalKind") == null ? null : GoalKind.valueOf(m.getString("goalKind"))));
    }

    public Optional<Progress> of(String personId) {
        Document d = people.find(eq("_id", personId)).first();
        if (d == null) {
            return Optional.empty();
        }
        List<Goal> goals = new ArrayList<>();
        for (Document g : d.getList("goals", Document.class)) {
            goals.add(new Goal(GoalKind.valueOf(g.getString("kind")), g.getList("substances", String.class).stream().map(Substance::valueOf).toList(),
                    g.getBoolean("share"), g.getDate("at").toInstant()));
        }
        List<Instant> uses = d.getList("uses", Document.class).stream().map(u -> u.getDate("at").toInstant()).toList();
        List<Milestone> milestones = d.getList("milestones", Document.class).stream()
                .map(m -> new Milestone(m.getInteger("days"), m.getDate("at").toInstant())).toList();
        return Optional.of(new Progress(d.getDate("since").toInstant(), goals, uses, milestones));
    }
}
