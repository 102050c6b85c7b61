package app.tandem.plans.boundary;

import app.tandem.plans.boundary.BoundaryEvents.BoundaryDeclined;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryProposed;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryRetired;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryReviewDue;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryRevised;
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
import java.util.Optional;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

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

    /** A review the boundary did not take (or whose replica died) is announced again after this. */
    private static final Duration RETRY = Duration.ofSeconds(30);

    private final MongoCollection<Document> reviews;
    private final Claims due;

    public BoundaryReviewSchedule(MongoDatabase database, Clock clock) {
        this.reviews = database.getCollection("boundary_reviews");
        this.reviews.createIndex(Indexes.ascending("reviewAt"));
        this.due = Claims.dueBy(reviews, "reviewAt", RETRY, clock);
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

    /** The earliest review date come that no replica holds, now held by this one. */
    public Optional<Due> claimNext() {
        return due.next().map(claim -> new Due(claim.item().getString("_id"), claim.item().getInteger("version"),
                claim.item().getDate("reviewAt").toInstant()));
    }

    /** A review the boundary did not take (not in force yet, say) is checked again when its claim ran out, not dropped. */
    public void done(Due due) {
        reviews.deleteOne(and(eq("_id", due.boundaryId()), eq("version", due.version())));
    }
}
