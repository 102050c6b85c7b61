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
     * {@code coupleDissolved} when written after a partner left: nobody else is told (absent, so false, in events
     * stored before it existed).
     */
    public record SectionEdited(String planId, String coupleId, int version, boolean newDraft, int basedOnVersion,
                                String personId, String partnerPersonId, PlanSection section, String idempotencyKey,
                                Instant editedAt, Boolean coupleDissolved) {

        public SectionEdited {
            coupleDissolved = Boolean.TRUE.equals(coupleDissolved);
        }

        public SectionEdited(String planId, String coupleId, int version, boolean newDraft, int basedOnVersion,
                             String personId, String partnerPersonId, PlanSection section, String idempotencyKey,
                             Instant editedAt) {
            this(planId, coupleId, version, newDraft, basedOnVersion, personId, partnerPersonId, section, idempotencyKey,
                    editedAt, false);
        }
    }

    /**
     * A person replaced the items they keep private: no version, no acknowledgement, no prompt; shown to
     * {@code personId} alone. Ciphertext under their key.
     */
    public record PrivateItemsEdited(String planId, String coupleId, String personId, PlanSection items,
                                     String idempotencyKey, Instant editedAt) {
    }

    public record VersionAcknowledged(String planId, String coupleId, int version, String personId, Instant acknowledgedAt) {
    }

    /** Both partners acknowledged {@code version}: it is the plan now. */
    public record VersionAgreed(String planId, String coupleId, int version, List<String> partners, Instant agreedAt) {
    }
}
