package app.tandem.care.consent;

import app.tandem.platform.domain.Validation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a partner agrees to, element by element (42 CFR §2.31): the patient, to whom (the counselor and their
 * organisation, as the counselor's token named them), the purpose, the kinds of information, and when it ends (a
 * time, the end of treatment, or whichever comes first). Tandem discloses on the patient's behalf.
 */
public record ConsentTerms(String patientPersonId, String counselorPersonId, String organisation, Purpose purpose,
                           List<Scope> scopes, Instant expiresAt, boolean untilTreatmentEnds) {

    public static final String DISCLOSER = "Tandem, on the patient's behalf";
    /** The latest a consent may run; a longer one must be given again. */
    public static final Duration LONGEST = Duration.ofDays(2 * 365);

    public ConsentTerms {
        // one order for the same scopes, so the text and its hash do not depend on how they were listed
        scopes = scopes == null ? List.of() : List.copyOf(new TreeSet<>(scopes));
    }

    /** The domain's guard; the edge reports the same rules with the request's field names first. */
    void validate(Instant now) {
        new Validation()
                .require(present(patientPersonId), "patient", "is required")
                .require(present(counselorPersonId), "counselor", "is required")
                .require(present(organisation), "organisation", "is required: the counselor's token names none")
                .require(!present(patientPersonId) || !patientPersonId.equals(counselorPersonId), "counselor",
                        "must be someone other than the patient")
                .require(purpose != null, "purpose", "is required")
                .require(!scopes.isEmpty(), "scopes", "must name at least one kind of information")
                .require(expiresAt != null || untilTreatmentEnds, "expires_at", "or until_treatment_ends is required")
                .require(expiresAt == null || expiresAt.isAfter(now), "expires_at", "must be in the future")
                .require(expiresAt == null || !expiresAt.isAfter(now.plus(LONGEST)), "expires_at", "must be within two years")
                .orThrow();
    }

    public boolean covers(Scope scope) {
        return scopes.contains(scope);
    }

    public Set<Scope> scopeSet() {
        return Set.copyOf(scopes);
    }

    /** Whether it is still in force at {@code now} as far as its date goes. */
    public boolean runsAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
