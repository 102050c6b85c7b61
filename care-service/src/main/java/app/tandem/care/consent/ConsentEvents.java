package app.tandem.care.consent;

import java.time.Instant;

/** What happened to a consent. Every event names the patient and the counselor, so read models need nothing else. */
public final class ConsentEvents {

    private ConsentEvents() {
    }

    public record ConsentPrepared(String consentId, int version, ConsentTerms terms, String text, String textSha256,
                                  String idempotencyKey, Instant preparedAt) {
    }

    /** {@code continuing}: it supersedes a version in force, so what was consented to carries on without a break. */
    public record ConsentSigned(String consentId, int version, ConsentTerms terms, String textSha256, boolean continuing, Instant signedAt) {
    }

    /** A later version was signed; the earlier stops at that moment. */
    public record ConsentSuperseded(String consentId, int version, String patientPersonId, String counselorPersonId,
                                    int supersededBy, Instant at) {
    }

    public record ConsentRevoked(String consentId, int version, String patientPersonId, String counselorPersonId, Instant at) {
    }

    public enum Ending {
        DATE_REACHED,
        TREATMENT_ENDED
    }

    public record ConsentExpired(String consentId, int version, String patientPersonId, String counselorPersonId,
                                 Ending ending, Instant at) {
    }

    public record ConsentExpiryNear(String consentId, int version, String patientPersonId, Instant expiresAt, Instant at) {
    }

    public record CounselorFirstRead(String consentId, int version, String patientPersonId, String counselorPersonId, Instant at) {
    }
}
