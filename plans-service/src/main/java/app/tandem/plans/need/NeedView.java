package app.tandem.plans.need;

import app.tandem.plans.need.NeedCommands.Answer;
import app.tandem.plans.need.NeedCommands.Kind;

import java.time.Instant;

/** A need with its text still ciphertext under its author's key; not answered yet, {@code answer} is null. */
public record NeedView(String needId, String coupleId, String personId, Kind kind, String encryptedText, Instant expressedAt,
                       Answer answer, Instant answeredAt) {
}
