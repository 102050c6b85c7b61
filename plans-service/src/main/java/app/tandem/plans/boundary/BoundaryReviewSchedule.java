package app.tandem.plans.boundary;

import app.tandem.plans.boundary.BoundaryEvents.BoundaryDeclined;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryProposed;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryRetired;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryReviewDue;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryRevised;
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

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;

/**
 * Review dates still to come, one per boundary (its latest version's), durable in MongoDB as a tracking
 * projection of the stored events: a crash is repaired by the processor resuming from its token, and a replay
 * rebuilds it. {@link BoundaryReviewScheduler} announces what is due.
 */
@Component
@ProcessingGroup("boundary-reviews")
public class BoundaryReviewSchedule {

    public record Due(String boundaryId, int version, Instant reviewAt) {
    }

    private final MongoCollection<Document> reviews;

    public BoundaryReviewSchedule(MongoDatabase database) {
        this.reviews = database.getCollection("boundary_reviews");
    }

    @EventHandler
    void on(BoundaryProposed event) {
        plan(event.boundaryId(), event.version(), event.reviewAt());
    }

    @EventHandler
    void on(BoundaryRevised event) {
        plan(event.boundaryId(), event.version(), event.reviewAt());
    }

    @EventHandler
    void on(BoundaryDeclined event) {
        reviews.deleteOne(and(eq("_id", event.boundaryId()), eq("version", event.version())));
    }

    @EventHandler
    void on(BoundaryRetired event) {
        reviews.deleteOne(eq("_id", event.boundaryId()));
    }

    @EventHandler
    void on(BoundaryReviewDue event) {
        reviews.deleteOne(and(eq("_id", event.boundaryId()), eq("version", event.version())));
    }

    @ResetHandler
    void reset() {
        reviews.deleteMany(new Document());
    }

    private void plan(String boundaryId, int version, Instant reviewAt) {
        if (reviewAt == null) {
            reviews.deleteOne(eq("_id", boundaryId));
            return;
        }
        reviews.replaceOne(eq("_id", boundaryId), new Document("_id", boundaryId).append("version", version)
                .append("reviewAt", Date.from(reviewAt)), new ReplaceOptions().upsert(true));
    }

    public List<Due> dueAt(Instant now, int limit) {
        List<Due> due = new ArrayList<>();
        for (Document d : reviews.find(lte("reviewAt", Date.from(now))).sort(Sorts.ascending("reviewAt")).limit(limit)) {
            due.add(new Due(d.getString("_id"), d.getInteger("version"), d.getDate("reviewAt").toInstant()));
        }
        return due;
    }

    /** A review the boundary did not take (not in force yet, say) is checked again at the next poll, not dropped. */
    public void done(Due due) {
        reviews.deleteOne(and(eq("_id", due.boundaryId()), eq("version", due.version())));
    }
}
