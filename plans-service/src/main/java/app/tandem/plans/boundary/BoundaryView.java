package app.tandem.plans.boundary;

import app.tandem.plans.boundary.BoundaryCommands.Category;

import java.time.Instant;
import java.util.List;

/** A boundary as its partners see it, with every version; text is still ciphertext under each version's author. */
public record BoundaryView(String boundaryId, String coupleId, BoundaryState state, List<Version> versions,
                           List<StateChange> stateChanges, int keptCount, int crossedCount, Instant acceptedAt) {

    public enum Outcome {
        AWAITING_ANSWER, ACCEPTED, DECLINED, WITHDRAWN
    }

    public record Version(int version, String encryptedText, Category category, List<String> appliesTo, String proposedBy,
                          Instant proposedAt, Instant reviewAt, Outcome outcome, String answeredBy, Instant answeredAt) {

        Version answered(Outcome newOutcome, String by, Instant at) {
            return new Version(version, encryptedText, category, appliesTo, proposedBy, proposedAt, reviewAt, newOutcome, by, at);
        }
    }

    public record StateChange(BoundaryState state, String changedBy, Instant changedAt) {
    }

    public Version current() {
        return versions.get(versions.size() - 1);
    }
}
