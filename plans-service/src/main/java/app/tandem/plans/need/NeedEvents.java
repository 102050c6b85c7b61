package app.tandem.plans.need;

import app.tandem.plans.need.NeedCommands.Answer;
import app.tandem.plans.need.NeedCommands.Kind;

import java.time.Instant;

/** Stored domain events of a need; its text is ciphertext under its author's key. */
public final class NeedEvents {

    private NeedEvents() {
    }

    public record NeedExpressed(String needId, String coupleId, String personId, String partnerPersonId, Kind kind,
                                String encryptedText, Instant expressedAt) {
    }

    public record NeedAnswered(String needId, String coupleId, String answeredByPersonId, String personId, Answer answer,
                               Instant answeredAt) {
    }
}
