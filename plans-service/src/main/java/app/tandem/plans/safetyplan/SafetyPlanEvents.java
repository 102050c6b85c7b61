package app.tandem.plans.safetyplan;

import java.time.Instant;
import java.util.List;

/** Stored domain events of a couple's safety plan. Sections are ciphertext under their author's key. */
public final class SafetyPlanEvents {

    private SafetyPlanEvents() {
    }

    public record SafetyPlanStarted(String planId, String coupleId, List<String> partners, Instant startedAt) {
    }

    /**
     * A partner replaced their section in draft {@code version}. When {@code newDraft}, the draft starts from
     * {@code basedOnVersion} (the agreed version, 0 for none); otherwise the draft's acknowledgements are withdrawn.
     */
    public record SectionEdited(String planId, String coupleId, int version, boolean newDraft, int basedOnVersion,
                                String personId, String partnerPersonId, PlanSection section, String idempotencyKey,
                                Instant editedAt) {
    }

    public record VersionAcknowledged(String planId, String coupleId, int version, String personId, Instant acknowledgedAt) {
    }

    /** Both partners acknowledged {@code version}: it is the plan now. */
    public record VersionAgreed(String planId, String coupleId, int version, List<String> partners, Instant agreedAt) {
    }
}
