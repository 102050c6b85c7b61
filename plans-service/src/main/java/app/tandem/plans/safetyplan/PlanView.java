package app.tandem.plans.safetyplan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole plan as stored: every version, sections still ciphertext, and each person's private items, which
 * belong to no version and are shown to their author alone.
 */
public record PlanView(String planId, String coupleId, List<String> partners, List<PlanVersion> versions,
                       Map<String, PlanSection> privateItems) {

    public PlanSection privateItemsOf(String personId) {
        return privateItems.getOrDefault(personId, PlanSection.empty());
    }

    public Optional<PlanVersion> agreed() {
        return versions.stream().filter(v -> v.status() == PlanVersion.Status.AGREED).reduce((a, b) -> b);
    }

    public Optional<PlanVersion> draft() {
        return versions.isEmpty() || versions.get(versions.size() - 1).status() != PlanVersion.Status.DRAFT
                ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    /**
     * The versions as {@code personId} may learn of them. Once the couple dissolved nothing is agreed any more, and a
     * draft shows only where the person edited it, dated by their own edit and without acknowledgements: the former
     * partner's edits, even of the draft both see, show neither as a version, a time nor a withdrawn acknowledgement.
     */
    public PlanView asSeenBy(String personId, boolean coupleDissolved) {
        if (!coupleDissolved) {
            return this;
        }
        List<PlanVersion> seen = versions.stream()
                .filter(v -> v.status() != PlanVersion.Status.DRAFT || v.editedBy().containsKey(personId))
                .map(v -> v.status() != PlanVersion.Status.DRAFT ? v : v.asDraftOf(personId))
                .toList();
        return new PlanView(planId, coupleId, partners, seen, privateItems);
    }

    public Optional<PlanVersion> version(int number) {
        return versions.stream().filter(v -> v.version() == number).findFirst();
    }
}
