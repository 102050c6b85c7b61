package app.tandem.plans.boundary;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

/** What partners (and their check-ins) ask of a boundary. Text arrives already encrypted with the actor's key. */
public final class BoundaryCommands {

    private BoundaryCommands() {
    }

    /** {@code partners} are the couple's two partners, the proposer first. */
    public record ProposeBoundary(@TargetAggregateIdentifier String boundaryId, String coupleId, List<String> partners,
                                  String encryptedText, Category category, List<String> appliesTo, Instant reviewAt,
                                  Instant now) {
    }

    public record AcceptBoundary(@TargetAggregateIdentifier String boundaryId, String personId, int version, Instant now) {
    }

    public record DeclineBoundary(@TargetAggregateIdentifier String boundaryId, String personId, int version, Instant now) {
    }

    public record ReviseBoundary(@TargetAggregateIdentifier String boundaryId, String personId, String idempotencyKey,
                                 int expectedVersion, String encryptedText, Category category, List<String> appliesTo,
                                 Instant reviewAt, Instant now) {
    }

    public record PauseBoundary(@TargetAggregateIdentifier String boundaryId, String personId, Instant now) {
    }

    public record ResumeBoundary(@TargetAggregateIdentifier String boundaryId, String personId, Instant now) {
    }

    public record RetireBoundary(@TargetAggregateIdentifier String boundaryId, String personId, Instant now) {
    }

    /** The review date of {@code version} has come (announced by the review schedule, possibly more than once). */
    public record ReachReviewDate(@TargetAggregateIdentifier String boundaryId, int version, Instant now) {
    }

    /** A shared check-in said the boundary was kept ({@code kept}) or crossed. */
    public record ReportBoundary(@TargetAggregateIdentifier String boundaryId, String coupleId, String checkInId,
                                 String personId, boolean kept, Instant reportedAt) {
    }

    public enum Category {
        SUBSTANCE_USE, MONEY, HOME_AND_VISITORS, COMMUNICATION, SAFETY, TIME_AND_ROUTINES, RELATIONSHIPS,
        HEALTH_AND_TREATMENT, OTHER
    }
}
