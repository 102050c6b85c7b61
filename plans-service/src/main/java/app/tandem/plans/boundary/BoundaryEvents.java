package app.tandem.plans.boundary;

import app.tandem.plans.boundary.BoundaryCommands.Category;

import java.time.Instant;
import java.util.List;

/** Stored domain events of a boundary. Text is ciphertext under the key of the partner who wrote that version. */
public final class BoundaryEvents {

    private BoundaryEvents() {
    }

    /** Version 1, awaiting {@code partnerPersonId}'s answer. */
    public record BoundaryProposed(String boundaryId, String coupleId, int version, String proposedByPersonId,
                                   String partnerPersonId, String encryptedText, Category category, List<String> appliesTo,
                                   Instant reviewAt, Instant proposedAt) {
    }

    /** A new version awaiting {@code partnerPersonId}'s answer; whatever was accepted before is no longer in force. */
    public record BoundaryRevised(String boundaryId, String coupleId, int version, String revisedByPersonId,
                                  String partnerPersonId, String encryptedText, Category category, List<String> appliesTo,
                                  Instant reviewAt, String idempotencyKey, Instant revisedAt) {
    }

    public record BoundaryAccepted(String boundaryId, String coupleId, int version, String acceptedByPersonId,
                                   String proposedByPersonId, Instant acceptedAt) {
    }

    public record BoundaryDeclined(String boundaryId, String coupleId, int version, String declinedByPersonId,
                                   String proposedByPersonId, Instant declinedAt) {
    }

    public record BoundaryPaused(String boundaryId, String coupleId, String pausedByPersonId, Instant pausedAt) {
    }

    public record BoundaryResumed(String boundaryId, String coupleId, String resumedByPersonId, Instant resumedAt) {
    }

    public record BoundaryRetired(String boundaryId, String coupleId, String retiredByPersonId, Instant retiredAt) {
    }

    /**
     * A check-in reported the boundary kept or crossed. Only reports while the boundary was in force are
     * {@code counted}; the counts are the boundary's totals after this report (a check-in counts once, with its
     * latest answer).
     */
    public record BoundaryReported(String boundaryId, String coupleId, int version, String checkInId,
                                   String reportedByPersonId, String partnerPersonId, boolean kept, boolean counted,
                                   Category category, int keptCount, int crossedCount, Instant reportedAt) {
    }

    /** The partners agreed to look at this version again on its review date; that date has come. Once per version. */
    public record BoundaryReviewDue(String boundaryId, String coupleId, int version, List<String> partnerPersonIds,
                                    Instant reviewAt, Instant dueAt) {
    }
}
