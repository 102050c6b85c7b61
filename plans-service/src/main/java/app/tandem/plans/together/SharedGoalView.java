package app.tandem.plans.together;

import app.tandem.plans.together.SharedGoalCommands.Kind;
import app.tandem.plans.together.SharedGoalCommands.Rhythm;
import app.tandem.plans.together.SharedGoalCommands.Stage;

import java.time.Instant;
import java.util.List;

/**
 * A shared goal with its title still ciphertext under {@code proposedBy}'s key (empty once they were erased); times not
 * reached yet are null.
 */
public record SharedGoalView(String goalId, String coupleId, String proposedBy, String partner, Kind kind, String encryptedTitle,
                             Rhythm rhythm, Stage stage, Instant proposedAt, Instant agreedAt, Instant retiredAt, List<Mark> marks) {

    /** {@code personId} did it in the week starting at {@code weekStart}. */
    public record Mark(String personId, Instant weekStart, Instant markedAt) {
    }

    /** Who did it in the week starting at {@code weekStart}. */
    public List<String> doneIn(Instant weekStart) {
        return marks.stream().filter(m -> m.weekStart().equals(weekStart)).map(Mark::personId).toList();
    }

    /** Agreed before the week ended and not retired before it began. */
    public boolean heldDuring(Instant weekStart) {
        return agreedAt != null && agreedAt.isBefore(weekStart.plus(Weeks.LENGTH))
                && (retiredAt == null || retiredAt.isAfter(weekStart));
    }
}
