package app.tandem.plans.relapse;

import app.tandem.plans.safetyplan.PlanSection.Timeframe;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

public final class RelapseCommands {

    private RelapseCommands() {
    }

    /** {@code steps} are the agreed plan's steps for this lapse (both partners, every timeframe); none without a plan. */
    public record StartRelapseResponse(@TargetAggregateIdentifier String lapseId, String coupleId, String lapsedPersonId,
                                       String supportingPersonId, Instant disclosedAt, boolean urgent, int planVersion,
                                       List<PlannedStep> steps) {
    }

    /** A follow-up's time has come ({@link Timeframe#FIRST_WEEK} or {@link Timeframe#FIRST_MONTH}). */
    public record ReachFollowUp(@TargetAggregateIdentifier String lapseId, Timeframe stage, Instant now) {
    }

    public record CompleteTask(@TargetAggregateIdentifier String lapseId, String taskId, String personId, Instant now) {
    }

    public record EndRelapseResponse(@TargetAggregateIdentifier String lapseId, EndReason reason, Instant now) {
    }

    public enum EndReason {
        COMPLETED, COUPLE_DISSOLVED
    }
}
