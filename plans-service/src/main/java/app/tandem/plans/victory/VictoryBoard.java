package app.tandem.plans.victory;

import app.tandem.plans.victory.VictoryCommands.Kind;
import app.tandem.plans.victory.VictoryCommands.Reaction;
import app.tandem.plans.victory.VictoryEvents.VictoryAcknowledged;
import app.tandem.plans.victory.VictoryEvents.VictoryRecorded;
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

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static com.mongodb.client.model.Filters.eq;

/**
 * A couple's victories, one document each, keyed by victory id (a redelivered event writes the same), with its
 * author and couple for reading, counting, export and erasure. Private ones are read back by their author alone.
 */
@Component
@ProcessingGroup(VictoryBoard.PROCESSOR)
public class VictoryBoard {

    public static final String PROCESSOR = "victory-board";

    private final MongoCollection<Document> victories;

    public VictoryBoard(MongoDatabase database) {
        this.victories = database.getCollection("victory_board");
        this.victories.createIndex(Indexes.ascending("coupleId", "personId"));
        this.victories.createIndex(Indexes.ascending("personId"));
        this.victories.createIndex(Indexes.ascending("acknowledgedBy"));
    }

    @EventHandler
    void on(VictoryRecorded event) {
        if (event.erased()) {
            victories.deleteOne(eq("_id", event.victoryId())); // its author was erased: nothing of it is kept
            return;
        }
        victories.replaceOne(eq("_id", event.victoryId()), new Document("_id", event.victoryId())
                .append("coupleId", event.coupleId())
                .append("personId", event.personId())
                .append("kind", event.kind().name())
                .append("text", event.encryptedText())
                .append("shared", event.shared())
                .append("recordedAt", Date.from(event.recordedAt())), new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(VictoryAcknowledged event) {
        victories.updateOne(eq("_id", event.victoryId()), Updates.combine(Updates.set("reaction", event.reaction().name()),
                Updates.set("acknowledgedBy", event.acknowledgedByPersonId()), Updates.set("acknowledgedAt", Date.from(event.acknowledgedAt()))));
    }

    @ResetHandler
    void reset() {
        victories.deleteMany(new Document());
    }

    /** What {@code personId} sees in a couple, newest first: all their own, and their partner's shared ones. */
    public List<VictoryView> seenBy(String personId, String coupleId) {
        List<VictoryView> result = new ArrayList<>();
        victories.find(Filters.and(eq("coupleId", coupleId), Filters.or(eq("personId", personId), eq("shared", true))))
                .sort(Sorts.orderBy(Sorts.descending("recordedAt"), Sorts.ascending("_id")))
                .forEach(d -> result.add(view(d)));
        return result;
    }

    /** Shared victories {@code personId} recorded in the couple. */
    public int sharedBy(String personId, String coupleId) {
        Bson shared = Filters.and(eq("coupleId", coupleId), eq("personId", personId), eq("shared", true));
        return (int) victories.countDocuments(shared);
    }

    /** Every victory {@code personId} recorded, private ones too, in any couple. */
    public List<VictoryView> recordedBy(String personId) {
        return views(eq("personId", personId));
    }

    /** The partner's victories {@code personId} acknowledged. */
    public List<VictoryView> acknowledgedBy(String personId) {
        return views(eq("acknowledgedBy", personId));
    }

    /**
     * Deletes the person's victories; on the partner's they acknowledged the reaction stays, as something the partner
     * was given, without naming who gave it.
     */
    public void erase(String personId) {
        victories.deleteMany(eq("personId", personId));
        victories.updateMany(eq("acknowledgedBy", personId), Updates.unset("acknowledgedBy"));
    }

    private List<VictoryView> views(Bson filter) {
        List<VictoryView> result = new ArrayList<>();
        victories.find(filter).sort(Sorts.ascending("_id")).forEach(d -> result.add(view(d)));
        return result;
    }

    private static VictoryView view(Document d) {
        String reaction = d.getString("reaction");
        Date acknowledgedAt = d.getDate("acknowledgedAt");
        return new VictoryView(d.getString("_id"), d.getString("coupleId"), d.getString("personId"), Kind.valueOf(d.getString("kind")),
                d.getString("text"), d.getBoolean("shared"), d.getDate("recordedAt").toInstant(),
                reaction == null ? null : Reaction.valueOf(reaction), acknowledgedAt == null ? null : acknowledgedAt.toInstant());
    }
}
