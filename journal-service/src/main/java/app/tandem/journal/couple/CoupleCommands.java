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

    /**
     * The daily look at a couple's days together, for the day starting {@code at}: it may have kept its journal
     * together for a milestone number of days. Sent by the schedule, never with anyone's check-in.
     */
    public record NoteJournalActivity(@TargetAggregateIdentifier String coupleId, Instant at) {
    }
}
