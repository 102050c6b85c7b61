package app.tandem.care.consent;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** What partners, counselors and the consent's own timers ask of a consent. */
public final class ConsentCommands {

    private ConsentCommands() {
    }

    /** A new version of the terms, to be read and signed; the same idempotency key answers the version it made. */
    public record PrepareConsent(@TargetAggregateIdentifier String consentId, ConsentTerms terms, String idempotencyKey, Instant now) {
    }

    /** The patient signs the version whose text they read, named by its SHA-256. */
    public record SignConsent(@TargetAggregateIdentifier String consentId, String personId, int version, String textSha256, Instant now) {
    }

    public record RevokeConsent(@TargetAggregateIdentifier String consentId, String personId, Instant now) {
    }

    /** The counselor says treatment ended: a version that lasts until then ends. */
    public record EndTreatment(@TargetAggregateIdentifier String consentId, String personId, Instant now) {
    }

    /** Asked by the expiry schedule, possibly more than once and late: the version in force ends if its time has come. */
    public record ExpireConsent(@TargetAggregateIdentifier String consentId, Instant now) {
    }

    /** Asked by the expiry schedule a few days ahead: the patient is told once per version. */
    public record WarnOfExpiry(@TargetAggregateIdentifier String consentId, Instant now) {
    }

    /** The counselor received or read something under {@code version}; the patient is told the first time only. */
    public record RecordFirstRead(@TargetAggregateIdentifier String consentId, int version, Instant now) {
    }
}
