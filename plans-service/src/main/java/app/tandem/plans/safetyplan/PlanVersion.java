package app.tandem.plans.safetyplan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One version of the plan: each partner's section (ciphertext), who acknowledged it, whether it was agreed, and when
 * each author last edited their section in it.
 */
public record PlanVersion(int version, Status status, Map<String, PlanSection> sections, List<String> acknowledgedBy,
                          Instant lastEditedAt, Instant agreedAt, Map<String, Instant> editedBy) {

    public enum Status {
        DRAFT, AGREED, SUPERSEDED
    }

    PlanVersion withStatus(Status status, Instant agreedAt) {
        return new PlanVersion(version, status, sections, acknowledgedBy, lastEditedAt, agreedAt, editedBy);
    }

    PlanVersion acknowledgedBy(String personId) {
        List<String> acknowledged = new ArrayList<>(acknowledgedBy);
        acknowledged.add(personId);
        return new PlanVersion(version, status, sections, List.copyOf(acknowledged), lastEditedAt, agreedAt, editedBy);
    }

    /** This draft as {@code author} alone may see it after a leave: dated by their own edit, acknowledged by nobody. */
    PlanVersion asDraftOf(String author) {
        Instant at = editedBy.get(author);
        return new PlanVersion(version, status, sections, List.of(), at, null, Map.of(author, at));
    }

    /** The draft with {@code author}'s section as edited at {@code at}: other words withdraw the acknowledgements. */
    PlanVersion editedBy(String author, PlanSection section, Instant at) {
        Map<String, PlanSection> edited = new LinkedHashMap<>(sections);
        edited.put(author, section);
        Map<String, Instant> when = new LinkedHashMap<>(editedBy);
        when.put(author, at);
        return new PlanVersion(version, Status.DRAFT, Collections.unmodifiableMap(edited), List.of(), at, null,
                Collections.unmodifiableMap(when));
    }
}
