package app.tandem.care.feed;

import app.tandem.care.consent.ConsentTerms;
import app.tandem.care.consent.Purpose;
import app.tandem.care.consent.Scope;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CareItemTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static ConsentTerms consenting(Scope... scopes) {
        return new ConsentTerms("alex", "dana", "clinic", Purpose.TREATMENT, List.of(scopes), NOW.plusSeconds(86_400), false);
    }

    private static CareItem item(CareItem.Kind kind, boolean marked) {
        return new CareItem(kind, "item", "alex", NOW, marked);
    }

    @Test
    void eachKindGoesOnlyUnderItsOwnScope() {
        assertThat(item(CareItem.Kind.CHECK_IN, false).disclosedUnder(consenting(Scope.SHARED_CHECK_INS))).isTrue();
        assertThat(item(CareItem.Kind.CHECK_IN, false).disclosedUnder(consenting(Scope.LAPSES, Scope.CHECK_IN_NOTES))).isFalse();
        assertThat(item(CareItem.Kind.WEEKLY_REVIEW, false).disclosedUnder(consenting(Scope.WEEKLY_REVIEWS))).isTrue();
        assertThat(item(CareItem.Kind.WEEKLY_REVIEW, false).disclosedUnder(consenting(Scope.SHARED_CHECK_INS))).isFalse();
        assertThat(item(CareItem.Kind.LAPSE, false).disclosedUnder(consenting(Scope.LAPSES))).isTrue();
        assertThat(item(CareItem.Kind.LAPSE, false).disclosedUnder(consenting(Scope.MILESTONES))).isFalse();
        assertThat(item(CareItem.Kind.MILESTONE, false).disclosedUnder(consenting(Scope.MILESTONES))).isTrue();
        assertThat(item(CareItem.Kind.SUPPORT_REQUEST, false).disclosedUnder(consenting(Scope.SUPPORT_REQUESTS))).isTrue();
        assertThat(item(CareItem.Kind.SUPPORT_REQUEST, false).disclosedUnder(consenting(Scope.SHARED_CHECK_INS))).isFalse();
    }

    @Test
    void anEntryItsAuthorMarkedForTheirCounselorGoesUnderAnyConsentToThatCounselor() {
        assertThat(item(CareItem.Kind.CHECK_IN, true).disclosedUnder(consenting(Scope.LAPSES))).isTrue();
        assertThat(item(CareItem.Kind.WEEKLY_REVIEW, true).disclosedUnder(consenting(Scope.MILESTONES))).isTrue();
        // a mark is for entries only
        assertThat(item(CareItem.Kind.LAPSE, true).disclosedUnder(consenting(Scope.MILESTONES))).isFalse();
    }

    @Test
    void notesGoOnlyUnderTheNotesScope() {
        assertThat(CareItem.withNote(consenting(Scope.SHARED_CHECK_INS))).isFalse();
        assertThat(CareItem.withNote(consenting(Scope.SHARED_CHECK_INS, Scope.CHECK_IN_NOTES))).isTrue();
    }
}
