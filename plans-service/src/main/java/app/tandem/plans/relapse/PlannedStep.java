package app.tandem.plans.relapse;

import app.tandem.plans.safetyplan.PlanSection.Role;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;

/** A relapse-response step of the agreed plan, as ciphertext under its author's key (who is also the one doing it). */
public record PlannedStep(String personId, Role role, Timeframe timeframe, String encryptedText) {
}
