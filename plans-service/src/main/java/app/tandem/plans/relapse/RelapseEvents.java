package app.tandem.plans.relapse;

import app.tandem.plans.relapse.RelapseCommands.EndReason;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;

import java.time.Instant;
import java.util.List;

/** Stored domain events of one relapse response (one per lapse). */
public final class RelapseEvents {

    private RelapseEvents() {
    }

    /** The response started with the immediate tasks for both partners and its two follow-ups scheduled. */
    public record RelapseResponseStarted(String lapseId, String coupleId, String lapsedPersonId, String supportingPersonId,
                                         Instant disclosedAt, boolean urgent, int planVersion, List<PlannedStep> steps,
                                         List<RelapseTask> tasks, Instant firstWeekAt, Instant firstMonthAt) {
    }

    /** A follow-up came due and gave each partner its tasks. */
    public record FollowUpReached(String lapseId, String coupleId, String lapsedPersonId, String supportingPersonId,
                                  Timeframe stage, List<RelapseTask> tasks, Instant reachedAt) {
    }

    public record TaskCompleted(String lapseId, String coupleId, String taskId, String personId, Instant completedAt) {
    }

    public record RelapseResponseEnded(String lapseId, String coupleId, EndReason reason, Instant endedAt) {
    }
}
