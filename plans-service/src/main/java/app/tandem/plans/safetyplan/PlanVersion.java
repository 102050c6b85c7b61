package app.tandem.plans.safetyplan;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One version of the plan: each partner's section (ciphertext), who acknowledged it, and whether it was agreed. */
public record PlanVersion(int version, Status status, Map<String, PlanSection> sections, List<String> acknowledgedBy,
                          Instant lastEditedAt, Instant agreedAt) {

    public enum Status {
        DRAFT, AGREED, SUPERSEDED
    }
}
