package app.tandem.plans.safetyplan;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

public final class SafetyPlanCommands {

    private SafetyPlanCommands() {
    }

    /** {@code section} is already encrypted with the editor's key; {@code partners} are the couple's two partners. */
    public record EditSection(@TargetAggregateIdentifier String planId, String coupleId, List<String> partners, String personId,
                              PlanSection section, String idempotencyKey, Instant now) {
    }

    public record AcknowledgeVersion(@TargetAggregateIdentifier String planId, String personId, int version, Instant now) {
    }
}
