package app.tandem.plans.safetyplan;

import app.tandem.api.v1.SafetyPlanChange;
import app.tandem.plans.safetyplan.PlanSection.Contact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** What changed between two versions of a plan, per partner and field, as items added and removed. */
public final class PlanComparison {

    private static final Map<String, Function<PlanSection, List<String>>> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("warning_signs", PlanSection::warningSigns);
        FIELDS.put("triggers", PlanSection::triggers);
        FIELDS.put("coping_strategies", PlanSection::copingStrategies);
        FIELDS.put("distraction_people", s -> contacts(s.distractionPeople()));
        FIELDS.put("distraction_places", PlanSection::distractionPlaces);
        FIELDS.put("help_contacts", s -> contacts(s.helpContacts()));
        FIELDS.put("professionals", s -> contacts(s.professionals()));
        FIELDS.put("safer_environment", PlanSection::saferEnvironment);
        FIELDS.put("naloxone_location", s -> s.naloxoneLocation().isEmpty() ? List.of() : List.of(s.naloxoneLocation()));
        FIELDS.put("reasons_for_recovery", PlanSection::reasonsForRecovery);
        FIELDS.put("relapse_response", s -> s.relapseResponse().stream()
                .map(step -> step.timeframe() + " / " + step.role() + ": " + step.text()).toList());
    }

    private PlanComparison() {
    }

    /** Sections in plaintext, by author; a section missing on one side counts as empty. */
    public static List<SafetyPlanChange> compare(Map<String, PlanSection> from, Map<String, PlanSection> to) {
        Set<String> authors = new LinkedHashSet<>(from.keySet());
        authors.addAll(to.keySet());
        List<SafetyPlanChange> changes = new ArrayList<>();
        for (String author : authors) {
            PlanSection before = from.getOrDefault(author, PlanSection.empty());
            PlanSection after = to.getOrDefault(author, PlanSection.empty());
            FIELDS.forEach((field, values) -> {
                List<String> added = minus(values.apply(after), values.apply(before));
                List<String> removed = minus(values.apply(before), values.apply(after));
                if (!added.isEmpty() || !removed.isEmpty()) {
                    changes.add(SafetyPlanChange.newBuilder().setPersonId(author).setField(field)
                            .addAllAdded(added).addAllRemoved(removed).build());
                }
            });
        }
        return changes;
    }

    /** Items of {@code a} not matched by an item of {@code b}, counting repeats. */
    private static List<String> minus(List<String> a, List<String> b) {
        List<String> rest = new ArrayList<>(b);
        List<String> result = new ArrayList<>();
        for (String item : a) {
            if (!rest.remove(item)) {
                result.add(item);
            }
        }
        return result;
    }

    private static List<String> contacts(List<Contact> contacts) {
        return contacts.stream().map(c -> String.join(", ", List.of(c.name(), c.phone(), c.relationship()).stream()
                .filter(part -> !part.isEmpty()).toList())).toList();
    }
}
