package app.tandem.plans.victory;

import app.tandem.plans.victory.VictoryCommands.Kind;
import app.tandem.plans.victory.VictoryCommands.Reaction;

import java.time.Instant;

/** Stored domain events of a victory; its text is ciphertext under its author's key. */
public final class VictoryEvents {

    private VictoryEvents() {
    }

    public record VictoryRecorded(String victoryId, String coupleId, String personId, String partnerPersonId, Kind kind,
                                  String encryptedText, boolean shared, Instant recordedAt) {
    }

    public record VictoryAcknowledged(String victoryId, String coupleId, String acknowledgedByPersonId, String personId,
                                      Reaction reaction, Instant acknowledgedAt) {
    }
}
