package app.tandem.plans.together;

import app.tandem.plans.together.SharedGoalCommands.Kind;
import app.tandem.plans.together.SharedGoalCommands.Rhythm;

import java.time.Instant;

/**
 * Stored domain events of a shared goal; its title is ciphertext under its writer's key. Its kind (an activity
 * together, a hobby, a health habit) says nothing about use and stays readable.
 */
public final class SharedGoalEvents {

    private SharedGoalEvents() {
    }

    public record SharedGoalProposed(String goalId, String coupleId, String proposedByPersonId, String partnerPersonId, Kind kind,
                                     String encryptedTitle, Rhythm rhythm, Instant proposedAt) {
    }

    public record SharedGoalAgreed(String goalId, String coupleId, String agreedByPersonId, Instant agreedAt) {
    }

    /** Declined, with no reason asked or kept. */
    public record SharedGoalDeclined(String goalId, String coupleId, String declinedByPersonId, Instant declinedAt) {
    }

    /** {@code personId} did it in the week starting at {@code weekStart}. */
    public record SharedGoalDone(String goalId, String coupleId, String personId, Instant weekStart, Instant markedAt, String markId) {
    }

    public record SharedGoalRetired(String goalId, String coupleId, String retiredByPersonId, Instant retiredAt) {
    }
}
