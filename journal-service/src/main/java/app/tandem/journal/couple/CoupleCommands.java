package app.tandem.journal.couple;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public final class CoupleCommands {

    private CoupleCommands() {
    }

    public record CreateCouple(@TargetAggregateIdentifier String coupleId, String founderPersonId, String inviteCodeHash,
                               Instant inviteExpiresAt, Instant now) {
    }

    public record JoinCouple(@TargetAggregateIdentifier String coupleId, String personId, String inviteCodeHash, Instant now) {
    }

    public record LeaveCouple(@TargetAggregateIdentifier String coupleId, String personId, Instant now) {
    }

    /** "I need support now"; {@code requestId} is derived from the idempotency key, so a retry asks once. */
    public record RequestSupport(@TargetAggregateIdentifier String coupleId, String personId, String requestId, Instant now) {
    }

    /** Someone wrote in the journal at {@code at}: the couple may have kept it together for a milestone number of days. */
    public record NoteJournalActivity(@TargetAggregateIdentifier String coupleId, Instant at) {
    }
}
