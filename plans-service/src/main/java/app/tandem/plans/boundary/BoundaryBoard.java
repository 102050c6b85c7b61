package app.tandem.plans.boundary;

import app.tandem.plans.boundary.BoundaryCommands.Category;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryAccepted;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryDeclined;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryPaused;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryProposed;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryReported;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryResumed;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryRetired;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryRevised;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
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
 * A couple's boundaries with their state and kept/crossed counts, rebuilt from the event store by replay.
 * Counts come from the events themselves, so a redelivered report never counts twice.
 */
@Component
@ProcessingGroup(BoundaryBoard.PROCESSOR)
public class BoundaryBoard {

    public static final String PROCESSOR = "boundary-board";

    public record Entry(String boundaryId, String coupleId, int version, String encryptedText, String proposedBy,
                        Category category, List<String> appliesTo, BoundaryState state, Instant reviewAt,
                        Instant proposedAt, Instant acceptedAt, int keptCount, int crossedCount) {
    }

    private final MongoCollection<Document> boundaries;

    public BoundaryBoard(MongoDatabase database) {
        this.boundaries = database.getCollection("boundary_board");
        boundaries.createIndex(Indexes.ascending("coupleId"));
        boundaries.createIndex(Indexes.ascending("proposedBy"));
    }

    @EventHandler
    void on(BoundaryProposed event) {
        boundaries.replaceOne(eq("_id", event.boundaryId()), new Document("_id", event.boundaryId())
                .append("coupleId", event.coupleId())
                .append("version", event.version())
                .append("text", event.encryptedText())
                .append("proposedBy", event.proposedByPersonId())
                .append("category", event.category().name())
                .append("appliesTo", event.appliesTo())
                .append("state", BoundaryState.PROPOSED.name())
                .append("reviewAt", date(event.reviewAt()))
                .append("proposedAt", date(event.proposedAt()))
                .append("acceptedAt", null)
                .append("kept", 0)
                .append("crossed", 0), new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(BoundaryRevised event) {
        update(event.boundaryId(), Updates.combine(Updates.set("version", event.version()), Updates.set("text", event.encryptedText()),
                Updates.set("proposedBy", event.revisedByPersonId()), Updates.set("category", event.category().name()),
                Updates.set("appliesTo", event.appliesTo()), Updates.set("state", BoundaryState.PROPOSED.name()),
                Updates.set("reviewAt", date(event.reviewAt())), Updates.set("proposedAt", date(event.revisedAt())),
                Updates.set("acceptedAt", null)));
    }

    @EventHandler
    void on(BoundaryAccepted event) {
        update(event.boundaryId(), Updates.combine(Updates.set("state", BoundaryState.ACTIVE.name()),
                Updates.set("acceptedAt", date(event.acceptedAt()))));
    }

    @EventHandler
    void on(BoundaryDeclined event) {
        update(event.boundaryId(), Updates.set("state", BoundaryState.DECLINED.name()));
    }

    @EventHandler
    void on(BoundaryPaused event) {
        update(event.boundaryId(), Updates.set("state", BoundaryState.PAUSED.name()));
    }

    @EventHandler
    void on(BoundaryResumed event) {
        update(event.boundaryId(), Updates.set("state", BoundaryState.ACTIVE.name()));
    }

    @EventHandler
    void on(BoundaryRetired event) {
        update(event.boundaryId(), Updates.set("state", BoundaryState.RETIRED.name()));
    }

    @EventHandler
    void on(BoundaryReported event) {
        update(event.boundaryId(), Updates.combine(Updates.set("kept", event.keptCount()), Updates.set("crossed", event.crossedCount())));
    }

    @ResetHandler
    void reset() {
        boundaries.deleteMany(new Document());
    }

    private void update(String boundaryId, Bson update) {
        boundaries.updateOne(eq("_id", boundaryId), update);
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    /**
     * Takes the person's words out of the boundaries whose current version they proposed; the boundary stays for the
     * partner, with its state and counts, as something that was agreed between them.
     */
    public void eraseProposalsOf(String personId) {
        boundaries.updateMany(eq("proposedBy", personId), Updates.combine(Updates.set("text", ""), Updates.set("proposedBy", "")));
    }

    /** The couple's boundaries, oldest proposal first. */
    public List<Entry> of(String coupleId, boolean includeRetired) {
        List<Entry> result = new ArrayList<>();
        for (Document d : boundaries.find(eq("coupleId", coupleId)).sort(Sorts.orderBy(Sorts.ascending("_id")))) {
            BoundaryState state = BoundaryState.valueOf(d.getString("state"));
            if (state == BoundaryState.RETIRED && !includeRetired) {
                continue;
            }
            result.add(new Entry(d.getString("_id"), d.getString("coupleId"), d.getInteger("version"), d.getString("text"),
                    d.getString("proposedBy"), Category.valueOf(d.getString("category")), d.getList("appliesTo", String.class),
                    state, instant(d.getDate("reviewAt")), instant(d.getDate("proposedAt")), instant(d.getDate("acceptedAt")),
                    d.getInteger("kept"), d.getInteger("crossed")));
        }
        return result;
    }
}
