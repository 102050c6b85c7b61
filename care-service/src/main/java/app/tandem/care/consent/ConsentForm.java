package app.tandem.care.consent;

import app.tandem.platform.domain.TextDigest;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The text a partner reads and signs, made from the terms alone, so the same terms always read the same; the
 * partner's signature names its SHA-256, which proves what they saw.
 */
public final class ConsentForm {

    /** The notice that goes with every disclosed item (42 CFR §2.32(a)(2)). */
    public static final String REDISCLOSURE_NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records.";

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private static final Map<Scope, String> SCOPES = Map.of(
            Scope.SHARED_CHECK_INS, "check-ins I share with my partner (mood, craving, use, triggers, boundaries), without notes",
            Scope.CHECK_IN_NOTES, "the notes of those check-ins",
            Scope.WEEKLY_REVIEWS, "weekly reviews I share with my partner, and their scores over time",
            Scope.LAPSES, "lapses I disclose (substances, whether I was alone, whether naloxone was at hand)",
            Scope.MILESTONES, "milestones of days without use, and my current count (it counts every use I record, private ones too)",
            Scope.SUPPORT_REQUESTS, "each time I ask for support now");

    private static final Map<Purpose, String> PURPOSES = Map.of(
            Purpose.TREATMENT, "my treatment",
            Purpose.CARE_COORDINATION, "coordinating my care");

    private ConsentForm() {
    }

    public static String text(ConsentTerms terms) {
        String scopes = terms.scopes().stream().map(scope -> "  - " + SCOPES.get(scope)).collect(Collectors.joining("\n"));
        String ends = terms.expiresAt() == null ? "when my treatment with this counselor ends"
                : "on " + WHEN.format(terms.expiresAt()) + ", or when my treatment with this counselor ends if that is sooner";
        return """
                Consent to disclose substance use records

                I, %s (the patient), authorize %s to disclose to %s of %s, for %s, only the following of my own records:
                %s
                and any check-in or weekly review I mark for my counselor, while it stays marked.

                Nothing my partner writes is disclosed under this consent, and no entry I keep private.
                This consent ends %s. I may revoke it at any time in Tandem; revoking stops every disclosure at once,
                except what was disclosed before.
                Each disclosure is recorded, and I can see every one.
                Each item disclosed carries this notice: %s
                """.formatted(terms.patientPersonId(), ConsentTerms.DISCLOSER, terms.counselorPersonId(), terms.organisation(),
                PURPOSES.get(terms.purpose()), scopes, ends, REDISCLOSURE_NOTICE);
    }

    public static String sha256(String text) {
        return TextDigest.sha256(text);
    }
}
