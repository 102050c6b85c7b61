package app.tandem.plans.boundary;

import app.tandem.plans.boundary.BoundaryCommands.ReachReviewDate;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryDeclined;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryProposed;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryRetired;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryReviewDue;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryRevised;
import app.tandem.platform.time.DueTimers;
import com.mongodb.client.MongoDatabase;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * Review dates still to come, one per boundary (its latest version's), as durable timers: a tracking projection of
 * the stored events, rebuilt by a replay. A date that has come is announced to the boundary, which decides whether
 * the review is due (in force, still that version) and records it once; the timer goes when it did. One the
 * boundary did not take (not in force yet) is announced again after the retry interval.
 */
@Component
@ProcessingGroup(BoundaryReviewSchedule.PROCESSOR)
public class BoundaryReviewSchedule {

    public static final String PROCESSOR = "boundary-reviews";

    private static final Duration RETRY = Duration.ofSeconds(30);
    private static final int BATCH = 100;

    private final DueTimers timers;
    private final CommandGateway commands;
    private final Clock clock;

    public BoundaryReviewSchedule(MongoDatabase database, CommandGateway commands, Clock clock) {
        this.timers = new DueTimers(database.getCollection("boundary_reviews"), "reviewAt", RETRY, clock);
        this.commands = commands;
        this.clock = clock;
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
        timers.cancel(and(eq("_id", event.boundaryId()), eq("version", event.version())));
    }

    @EventHandler
    void on(BoundaryRetired event) {
        timers.cancel(eq("_id", event.boundaryId()));
    }

    @EventHandler
    void on(BoundaryReviewDue event) {
        timers.cancel(and(eq("_id", event.boundaryId()), eq("version", event.version())));
    }

    @ResetHandler
    void reset() {
        timers.clear();
    }

    private void plan(String boundaryId, int version, Instant reviewAt) {
        if (reviewAt == null) {
            timers.cancel(eq("_id", boundaryId));
            return;
        }
        timers.set(boundaryId, reviewAt, new Document("version", version));
    }

    /** Announces the review dates that have come; returns how many. */
    public int announceDue() {
        return timers.fireDue(BATCH, timer -> {
            commands.sendAndWait(new ReachReviewDate(timer.id(), timer.data().getInteger("version"), clock.instant()));
            return DueTimers.Outcome.LATER; // goes with the boundary's BoundaryReviewDue
        });
    }
}
