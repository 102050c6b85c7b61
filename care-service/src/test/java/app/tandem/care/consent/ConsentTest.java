package app.tandem.care.consent;

import app.tandem.care.consent.ConsentCommands.EndTreatment;
import app.tandem.care.consent.ConsentCommands.ExpireConsent;
import app.tandem.care.consent.ConsentCommands.PrepareConsent;
import app.tandem.care.consent.ConsentCommands.RecordFirstRead;
import app.tandem.care.consent.ConsentCommands.RevokeConsent;
import app.tandem.care.consent.ConsentCommands.SignConsent;
import app.tandem.care.consent.ConsentCommands.WarnOfExpiry;
import app.tandem.care.consent.ConsentEvents.ConsentExpired;
import app.tandem.care.consent.ConsentEvents.ConsentExpiryNear;
import app.tandem.care.consent.ConsentEvents.ConsentPrepared;
import app.tandem.care.consent.ConsentEvents.ConsentRevoked;
import app.tandem.care.consent.ConsentEvents.ConsentSigned;
import app.tandem.care.consent.ConsentEvents.ConsentSuperseded;
import app.tandem.care.consent.ConsentEvents.CounselorFirstRead;
import app.tandem.care.consent.ConsentEvents.Ending;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsentTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant IN_90_DAYS = NOW.plus(Duration.ofDays(90));

    private AggregateTestFixture<Consent> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Consent.class);
    }

    private static ConsentTerms terms(List<Scope> scopes, Instant expiresAt, boolean untilTreatmentEnds) {
        return new ConsentTerms("alex", "dana", "clinic", Purpose.TREATMENT, scopes, expiresAt, untilTreatmentEnds);
    }

    private static ConsentTerms checkInsAndLapses() {
        return terms(List.of(Scope.LAPSES, Scope.SHARED_CHECK_INS), IN_90_DAYS, false);
    }

    private static ConsentPrepared prepared(int version, ConsentTerms terms, String key) {
        String text = ConsentForm.text(terms);
        return new ConsentPrepared("k1", version, terms, text, ConsentForm.sha256(text), key, NOW);
    }

    private static ConsentSigned signed(int version, ConsentTerms terms) {
        return new ConsentSigned("k1", version, terms, ConsentForm.sha256(ConsentForm.text(terms)), false, NOW);
    }

    private static String hashOf(ConsentTerms terms) {
        return ConsentForm.sha256(ConsentForm.text(terms));
    }

    @Test
    void aPreparedConsentHoldsEveryElementAndTheTextToSign() {
        fixture.givenNoPriorActivity()
                .when(new PrepareConsent("k1", checkInsAndLapses(), "key-1", NOW))
                .expectEvents(prepared(1, checkInsAndLapses(), "key-1"))
                .expectResultMessagePayload(1)
                .expectState(consent -> assertThat(consent.versionInForce()).as("nothing is disclosed before signing").isNull());
        String text = ConsentForm.text(checkInsAndLapses());
        assertThat(text).contains("alex", "dana", "clinic", ConsentTerms.DISCLOSER, "my treatment", "check-ins I share", "lapses",
                "revoke", ConsentForm.REDISCLOSURE_NOTICE, "1 March 2027");
    }

    @Test
    void theSameScopesInAnotherOrderReadTheSame() {
        assertThat(ConsentForm.text(terms(List.of(Scope.SHARED_CHECK_INS, Scope.LAPSES), IN_90_DAYS, false)))
                .isEqualTo(ConsentForm.text(checkInsAndLapses()));
    }

    @Test
    void aRetriedPreparationAnswersTheVersionItMade() {
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"))
                .when(new PrepareConsent("k1", checkInsAndLapses(), "key-1", NOW))
                .expectNoEvents()
                .expectResultMessagePayload(1);
    }

    @Test
    void everyElementIsRequired() {
        ConsentTerms none = new ConsentTerms("alex", "dana", "", null, List.of(), null, false);
        fixture.givenNoPriorActivity()
                .when(new PrepareConsent("k1", none, "key-1", NOW))
                .expectException(InvalidInput.class)
                .expectNoEvents()
                .expectExceptionMessage(org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.containsString("organisation"),
                        org.hamcrest.Matchers.containsString("purpose"), org.hamcrest.Matchers.containsString("scopes"),
                        org.hamcrest.Matchers.containsString("expires_at")));
    }

    @Test
    void aConsentEndsInTheFutureAndWithinTwoYears() {
        fixture.givenNoPriorActivity()
                .when(new PrepareConsent("k1", terms(List.of(Scope.LAPSES), NOW, false), "key-1", NOW))
                .expectException(InvalidInput.class);
        fixture.givenNoPriorActivity()
                .when(new PrepareConsent("k1", terms(List.of(Scope.LAPSES), NOW.plus(Duration.ofDays(800)), false), "key-1", NOW))
                .expectException(InvalidInput.class);
    }

    @Test
    void aPatientCannotConsentToThemselves() {
        ConsentTerms self = new ConsentTerms("alex", "alex", "clinic", Purpose.TREATMENT, List.of(Scope.LAPSES), IN_90_DAYS, false);
        fixture.givenNoPriorActivity()
                .when(new PrepareConsent("k1", self, "key-1", NOW))
                .expectException(InvalidInput.class);
    }

    @Test
    void signingTheTextReadPutsTheVersionInForce() {
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"))
                .when(new SignConsent("k1", "alex", 1, hashOf(checkInsAndLapses()), NOW))
                .expectEvents(signed(1, checkInsAndLapses()))
                .expectState(consent -> assertThat(consent.versionInForce()).isEqualTo(1));
    }

    @Test
    void aSignatureOverAnotherTextIsRefused() {
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"))
                .when(new SignConsent("k1", "alex", 1, hashOf(terms(List.of(Scope.LAPSES), IN_90_DAYS, false)), NOW))
                .expectException(InvalidInput.class)
                .expectNoEvents();
    }

    @Test
    void onlyThePatientSigns() {
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"))
                .when(new SignConsent("k1", "dana", 1, hashOf(checkInsAndLapses()), NOW))
                .expectException(AccessDenied.class);
    }

    @Test
    void aRetriedSignatureChangesNothing() {
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()))
                .when(new SignConsent("k1", "alex", 1, hashOf(checkInsAndLapses()), NOW))
                .expectNoEvents();
    }

    @Test
    void onlyTheLatestPreparedVersionCanBeSigned() {
        ConsentTerms wider = terms(List.of(Scope.LAPSES, Scope.SHARED_CHECK_INS, Scope.CHECK_IN_NOTES), IN_90_DAYS, false);
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), prepared(2, wider, "key-2"))
                .when(new SignConsent("k1", "alex", 1, hashOf(checkInsAndLapses()), NOW))
                .expectException(RuleViolation.class);
    }

    @Test
    void aWiderScopeIsANewVersionThatSupersedesTheOneInForce() {
        ConsentTerms wider = terms(List.of(Scope.LAPSES, Scope.SHARED_CHECK_INS, Scope.CHECK_IN_NOTES), IN_90_DAYS, false);
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()))
                .when(new PrepareConsent("k1", wider, "key-2", NOW))
                .expectEvents(prepared(2, wider, "key-2"))
                .expectState(consent -> assertThat(consent.versionInForce()).as("the narrower stays until the wider is signed").isEqualTo(1));
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()), prepared(2, wider, "key-2"))
                .when(new SignConsent("k1", "alex", 2, hashOf(wider), NOW))
                .expectEvents(new ConsentSuperseded("k1", 1, "alex", "dana", 2, NOW),
                        new ConsentSigned("k1", 2, wider, hashOf(wider), true, NOW))
                .expectState(consent -> assertThat(consent.versionInForce()).isEqualTo(2));
    }

    @Test
    void aVersionWhoseDatePassedBeforeSigningCannotBeSigned() {
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"))
                .when(new SignConsent("k1", "alex", 1, hashOf(checkInsAndLapses()), IN_90_DAYS))
                .expectException(RuleViolation.class);
    }

    @Test
    void thePatientRevokesAtOnceAndOnlyThePatient() {
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()))
                .when(new RevokeConsent("k1", "alex", NOW))
                .expectEvents(new ConsentRevoked("k1", 1, "alex", "dana", NOW))
                .expectState(consent -> assertThat(consent.versionInForce()).isNull());
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()))
                .when(new RevokeConsent("k1", "dana", NOW))
                .expectException(AccessDenied.class);
    }

    @Test
    void aRevokedVersionCannotBeSignedAgain() {
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()),
                        new ConsentRevoked("k1", 1, "alex", "dana", NOW))
                .when(new SignConsent("k1", "alex", 1, hashOf(checkInsAndLapses()), NOW))
                .expectNoEvents(); // a retry of the signature it had: nothing changes, it stays revoked
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()),
                        new ConsentRevoked("k1", 1, "alex", "dana", NOW))
                .when(new RevokeConsent("k1", "alex", NOW))
                .expectNoEvents();
    }

    @Test
    void aConsentExpiresOnItsDateNotBefore() {
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()))
                .when(new ExpireConsent("k1", IN_90_DAYS.minusSeconds(1)))
                .expectNoEvents();
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()))
                .when(new ExpireConsent("k1", IN_90_DAYS))
                .expectEvents(new ConsentExpired("k1", 1, "alex", "dana", Ending.DATE_REACHED, IN_90_DAYS));
    }

    @Test
    void theEndOfTreatmentEndsTheConsentInForceAndOnlyTheCounselorSaysSo() {
        ConsentTerms untilTreatmentEnds = terms(List.of(Scope.MILESTONES), null, true);
        fixture.given(prepared(1, untilTreatmentEnds, "key-1"), signed(1, untilTreatmentEnds))
                .when(new EndTreatment("k1", "dana", NOW))
                .expectEvents(new ConsentExpired("k1", 1, "alex", "dana", Ending.TREATMENT_ENDED, NOW));
        fixture.given(prepared(1, untilTreatmentEnds, "key-1"), signed(1, untilTreatmentEnds))
                .when(new EndTreatment("k1", "alex", NOW))
                .expectException(AccessDenied.class);
        // a dated consent ends too: nothing goes to a counselor who no longer treats the patient
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()))
                .when(new EndTreatment("k1", "dana", NOW))
                .expectEvents(new ConsentExpired("k1", 1, "alex", "dana", Ending.TREATMENT_ENDED, NOW));
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()),
                        new ConsentExpired("k1", 1, "alex", "dana", Ending.TREATMENT_ENDED, NOW))
                .when(new EndTreatment("k1", "dana", NOW))
                .expectNoEvents();
    }

    @Test
    void thePatientIsWarnedOnceAFewDaysBeforeTheEnd() {
        Instant warnFrom = IN_90_DAYS.minus(Consent.WARNING);
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()))
                .when(new WarnOfExpiry("k1", warnFrom.minusSeconds(1)))
                .expectNoEvents();
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()))
                .when(new WarnOfExpiry("k1", warnFrom))
                .expectEvents(new ConsentExpiryNear("k1", 1, "alex", IN_90_DAYS, warnFrom));
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()),
                        new ConsentExpiryNear("k1", 1, "alex", IN_90_DAYS, warnFrom))
                .when(new WarnOfExpiry("k1", warnFrom.plusSeconds(60)))
                .expectNoEvents();
    }

    @Test
    void theFirstReadIsRecordedOnceAndOnlyUnderTheVersionInForce() {
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()))
                .when(new RecordFirstRead("k1", 1, NOW))
                .expectEvents(new CounselorFirstRead("k1", 1, "alex", "dana", NOW));
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()),
                        new CounselorFirstRead("k1", 1, "alex", "dana", NOW))
                .when(new RecordFirstRead("k1", 1, NOW))
                .expectNoEvents();
        fixture.given(prepared(1, checkInsAndLapses(), "key-1"), signed(1, checkInsAndLapses()),
                        new ConsentRevoked("k1", 1, "alex", "dana", NOW))
                .when(new RecordFirstRead("k1", 1, NOW))
                .expectNoEvents();
    }
}
