package app.tandem.plans.victory;

import app.tandem.plans.victory.VictoryCommands.Kind;
import app.tandem.plans.victory.VictoryCommands.Reaction;
import app.tandem.platform.privacy.PersonalFacts;

import java.time.Instant;

/**
 * Stored domain events of a victory; its text is ciphertext under its author's key. Its kind (a craving ridden out, an
 * appointment kept) is a fact about the author's recovery, sealed under their key in the store and null once they were
 * erased.
 */
public final class VictoryEvents {

    private VictoryEvents() {
    }

    public record VictoryRecorded(String victoryId, String coupleId, String personId, String partnerPersonId,
                                  @PersonalFacts(owner = "personId") Kind kind, String encryptedText, boolean shared,
                                  Instant recordedAt) {
        public boolean erased() {
            return kind == null;
        }
    }

    public record VictoryAcknowledged(String victoryId, String coupleId, String acknowledgedByPersonId, String personId,
                                      Reaction reaction, Instant acknowledgedAt) {
    }
}
