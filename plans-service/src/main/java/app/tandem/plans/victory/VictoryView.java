package app.tandem.plans.victory;

import app.tandem.plans.victory.VictoryCommands.Kind;
import app.tandem.plans.victory.VictoryCommands.Reaction;

import java.time.Instant;

/** A victory with its text still ciphertext under its author's key; no reaction yet is null. */
public record VictoryView(String victoryId, String coupleId, String personId, Kind kind, String encryptedText, boolean shared,
                          Instant recordedAt, Reaction reaction, Instant acknowledgedAt) {
}
