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
}
