package app.tandem.plans.relapse;

import app.tandem.plans.safetyplan.PlanSection.Role;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;

/**
 * Something one partner does in response to a lapse. Plan steps carry the text of the agreed plan, still
 * ciphertext under the key of the partner who wrote it ({@code textAuthor}); built-in tasks carry none.
 */
public record RelapseTask(String taskId, String personId, Role role, Timeframe timeframe, Kind kind, String encryptedText,
                          String textAuthor) {

    public enum Kind {
        PLAN_STEP, CHECK_SAFETY, RESPOND_WITH_CARE, TALK_IT_THROUGH, SEEK_PROFESSIONAL_HELP, REVIEW_THE_PLAN
    }
}
