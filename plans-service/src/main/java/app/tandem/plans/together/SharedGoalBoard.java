package app.tandem.plans.together;

import app.tandem.plans.together.SharedGoalCommands.Kind;
import app.tandem.plans.together.SharedGoalCommands.Rhythm;
import app.tandem.plans.together.SharedGoalCommands.Stage;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalAgreed;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalDeclined;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalDone;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalProposed;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalRetired;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static com.mongodb.client.model.Filters.eq;

/**
 * A couple's shared goals, one document each keyed by goal id, with the weeks each partner did them as a set (a
 * redelivered event adds nothing twice), for the list, the week view, export and erasure.
 */
@Component
@ProcessingGroup(SharedGoalBoard.PROCESSOR)
public class SharedGoalBoard {

    public static final String PROCESSOR = "shared-goal-board";

    private final MongoCollection<Document> goals;

    public SharedGoalBoard(MongoDatabase database) {
        this.goals = database.getCollection("shared_goal_board");
        this.goals.createIndex(Indexes.ascending("coupleId"));
        this.goals.createIndex(Indexes.ascending("proposedBy"));
        this.goals.createIndex(Indexes.ascending("marks.personId"));
    }

    @EventHandler
    void on(SharedGoalProposed event) {
        goals.replaceOne(eq("_id", event.goalId()), new Document("_id", event.goalId())
                .append("coupleId", event.coupleId())
                .append("proposedBy", event.proposedByPersonId())
                .append("partner", event.partnerPersonId())
                .append("kind", event.kind().name())
                .append("title", event.encryptedTitle())
                .append("rhythm", event.rhythm().name())
                .append("stage", Stage.PROPOSED.name())
                .append("proposedAt", Date.from(event.proposedAt()))
                .append("marks", List.of()), new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(SharedGoalAgreed event) {
        goals.updateOne(eq("_id", event.goalId()), Updates.combine(Updates.set("stage", Stage.AGREED.name()),
                Updates.set("agreedAt", Date.from(event.agreedAt()))));
    }

    @EventHandler
    void on(SharedGoalDeclined event) {
        goals.updateOne(eq("_id", event.goalId()), Updates.set("stage", Stage.DECLINED.name()));
    }

    @EventHandler
    void on(SharedGoalDone event) {
        goals.updateOne(eq("_id", event.goalId()), Updates.addToSet("marks", new Document("personId", event.personId())
                .append("weekStart", Date.from(event.weekStart())).append("markedAt", Date.from(event.markedAt()))));
    }

    @EventHandler
    void on(SharedGoalRetired event) {
        goals.updateOne(eq("_id", event.goalId()), Updates.combine(Updates.set("stage", Stage.RETIRED.name()),
                Updates.set("retiredAt", Date.from(event.retiredAt()))));
    }

    @ResetHandler
    void reset() {
        goals.deleteMany(new Document());
    }

    /** A couple's goals, newest first. */
    public List<SharedGoalView> of(String coupleId) {
        return views(eq("coupleId", coupleId), Sorts.orderBy(Sorts.descending("proposedAt"), Sorts.ascending("_id")));
    }

    /** The goals {@code personId} proposed, answered or did, in any couple. */
    public List<SharedGoalView> involving(String personId) {
        return views(Filters.or(eq("proposedBy", personId), eq("partner", personId), eq("marks.personId", personId)), Sorts.ascending("_id"));
    }

    /**
     * Forgets the person's part: the title they wrote and the weeks they did a goal. The goal stays the partner's, with
     * the partner's own weeks.
     */
    public void erase(String personId) {
        goals.updateMany(eq("proposedBy", personId), Updates.combine(Updates.set("title", ""), Updates.unset("proposedBy")));
        goals.updateMany(eq("partner", personId), Updates.unset("partner"));
        goals.updateMany(eq("marks.personId", personId), Updates.pull("marks", eq("personId", personId)));
    }

    private List<SharedGoalView> views(Bson filter, Bson order) {
        List<SharedGoalView> result = new ArrayList<>();
        goals.find(filter).sort(order).forEach(d -> {
            List<SharedGoalView.Mark> marks = new ArrayList<>();
            for (Document mark : d.getList("marks", Document.class, List.of())) {
                marks.add(new SharedGoalView.Mark(mark.getString("personId"), mark.getDate("weekStart").toInstant(),
                        mark.getDate("markedAt").toInstant()));
            }
            result.add(new SharedGoalView(d.getString("_id"), d.getString("coupleId"), d.getString("proposedBy"),
                    d.getString("partner"), Kind.valueOf(d.getString("kind")), d.getString("title"),
                    Rhythm.valueOf(d.getString("rhythm")), Stage.valueOf(d.getString("stage")), instant(d, "proposedAt"),
                    instant(d, "agreedAt"), instant(d, "retiredAt"), List.copyOf(marks)));
        });
        return result;
    }

    private static Instant instant(Document d, String field) {
        Date date = d.getDate(field);
        return date == null ? null : date.toInstant();
    }
}
