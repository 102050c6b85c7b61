package app.tandem.journal.progress;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

public final class ProgressCommands {

    private ProgressCommands() {
    }

    /** What a use report says, whether in a check-in or an explicit disclosure. */
    public record Use(List<Substance> substances, boolean usedAlone, boolean naloxoneAtHand) {
    }

    public record SetGoal(@TargetAggregateIdentifier String journeyId, String personId, String requestId, GoalKind kind,
                          List<Substance> substances, boolean shareProgressWithPartner, Instant now) {
    }

    /**
     * A check-in was recorded: counts a reported use and celebrates milestones. {@code sharedWithPartner} says
     * whether the check-in, and so a lapse it reports, was shared with {@code partnerPersonId}.
     */
    public record NoteCheckIn(@TargetAggregateIdentifier String journeyId, String personId, String checkInId, String coupleId,
                              String partnerPersonId, boolean sharedWithPartner, Instant occurredAt, Instant recordedAt,
                              boolean used, Use use) {
    }

    public record DiscloseLapse(@TargetAggregateIdentifier String journeyId, String personId, String lapseId, String coupleId,
                                String partnerPersonId, Instant occurredAt, Use use, Instant now) {
    }
}
