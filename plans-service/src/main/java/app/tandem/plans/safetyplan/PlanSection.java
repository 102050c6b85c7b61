package app.tandem.plans.safetyplan;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One partner's part of the safety plan. The same shape holds plaintext at the edge and ciphertext under the
 * author's key in stored events: {@link #map} turns one into the other, field by field.
 */
public record PlanSection(List<String> warningSigns, List<String> triggers, List<String> copingStrategies,
                          List<Contact> distractionPeople, List<String> distractionPlaces, List<Contact> helpContacts,
                          List<Contact> professionals, List<String> saferEnvironment, String naloxoneLocation,
                          List<String> reasonsForRecovery, List<Step> relapseResponse) {

    public enum Timeframe {
        IMMEDIATELY, FIRST_WEEK, FIRST_MONTH
    }

    /** Whose lapse a step answers, from the author's point of view. */
    public enum Role {
        IF_I_LAPSE, IF_MY_PARTNER_LAPSES
    }

    public record Contact(String name, String phone, String relationship) {
        Contact map(UnaryOperator<String> f) {
            return new Contact(f.apply(name), f.apply(phone), f.apply(relationship));
        }
    }

    public record Step(Timeframe timeframe, Role role, String text) {
    }

    public static PlanSection empty() {
        return new PlanSection(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), "",
                List.of(), List.of());
    }

    public PlanSection map(UnaryOperator<String> f) {
        return new PlanSection(strings(warningSigns, f), strings(triggers, f), strings(copingStrategies, f),
                contacts(distractionPeople, f), strings(distractionPlaces, f), contacts(helpContacts, f),
                contacts(professionals, f), strings(saferEnvironment, f), f.apply(naloxoneLocation),
                strings(reasonsForRecovery, f),
                relapseResponse.stream().map(s -> new Step(s.timeframe(), s.role(), f.apply(s.text()))).toList());
    }

    /** The author's steps for one timeframe and role, in the order they wrote them. */
    public List<String> steps(Timeframe timeframe, Role role) {
        return relapseResponse.stream().filter(s -> s.timeframe() == timeframe && s.role() == role).map(Step::text).toList();
    }

    private static List<String> strings(List<String> values, UnaryOperator<String> f) {
        return values.stream().map(f).toList();
    }

    private static List<Contact> contacts(List<Contact> values, UnaryOperator<String> f) {
        return values.stream().map(c -> c.map(f)).toList();
    }
}
