package app.tandem.plans.safetyplan;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

public final class SafetyPlanCommands {

    private SafetyPlanCommands() {
    }

    /**
     * {@code section} and {@code privateItems} are already encrypted with the editor's key, each {@code null} when
     * unchanged; {@code partners} are the couple's two partners; {@code coupleDissolved} when a partner has left.
     */
    public record EditSection(@TargetAggregateIdentifier String planId, String coupleId, List<String> partners, String personId,
                              PlanSection section, PlanSection privateItems, boolean coupleDissolved, String idempotencyKey,
                              Instant now) {

        /** An edit of the shared section alone, while the couple is shared. */
        public EditSection(String planId, String coupleId, List<String> partners, String personId, PlanSection section,
                           String idempotencyKey, Instant now) {
            this(planId, coupleId, partners, personId, section, null, false, idempotencyKey, now);
        }
    }

    public record AcknowledgeVersion(@TargetAggregateIdentifier String planId, String personId, int version, Instant now) {
    }
}
