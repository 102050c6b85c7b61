package app.tandem.journal.entry;

import app.tandem.journal.entry.EntryCommands.AmendCheckIn;
import app.tandem.journal.entry.EntryCommands.RecordCheckIn;
import app.tandem.journal.entry.EntryCommands.RecordWeeklyReview;
import app.tandem.journal.entry.EntryCommands.RetractEntry;
import app.tandem.journal.entry.EntryEvents.CheckInAmended;
import app.tandem.journal.entry.EntryEvents.CheckInRecorded;
import app.tandem.journal.entry.EntryEvents.EntryRetracted;
import app.tandem.journal.entry.EntryEvents.WeeklyReviewRecorded;
import app.tandem.journal.progress.Substance;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.Conflict;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntryTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant LATER = NOW.plus(Duration.ofHours(2));

    private AggregateTestFixture<Entry> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Entry.class);
    }

    private static EntryContent.CheckIn content(int mood, int craving, Visibility visibility) {
        return new EntryContent.CheckIn(mood, craving, false, EntryContent.UseDetails.NONE, List.of(Trigger.STRESS), "pdc1:tags",
                List.of(), List.of(), "pdc1:sealed", visibility);
    }

    private static RecordCheckIn checkIn(Instant occurredAt, EntryContent.CheckIn content) {
        return new RecordCheckIn("e1", "c1", "alex", occurredAt, NOW, content);
    }

    private static CheckInRecorded recorded(Visibility visibility) {
        return new CheckInRecorded("e1", "c1", "alex", "sam", NOW, NOW, content(4, 2, visibility));
    }

    private static EntryContent.WeeklyReview review(int sleepTrouble) {
        return new EntryContent.WeeklyReview(sleepTrouble, 1, 2, 0, 3, 3, 1, 2, "pdc1:review", Visibility.PRIVATE);
    }

    private static AmendCheckIn amend(String person, String requestId, int expectedVersion, EntryContent.CheckIn content) {
        return new AmendCheckIn("e1", person, requestId, expectedVersion, content, LATER);
    }

    private static CheckInAmended amended(String partner, EntryContent.CheckIn content, boolean newlyShared) {
        return new CheckInAmended("e1", "c1", "alex", partner, "r1", 2, NOW, LATER, content, newlyShared);
    }

    @Test
    void aSharedCheckInNamesThePartnerItIsSharedWith() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> new Entry(checkIn(NOW, content(4, 2, Visibility.SHARED_WITH_PARTNER)), "sam"))
                .expectEvents(recorded(Visibility.SHARED_WITH_PARTNER));
    }

    @Test
    void aCheckInCanBeBackDatedBySevenDays() {
        Instant weekAgo = NOW.minus(Duration.ofDays(7));
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> new Entry(checkIn(weekAgo, content(3, 0, Visibility.PRIVATE)), null))
                .expectEvents(new CheckInRecorded("e1", "c1", "alex", null, weekAgo, NOW, content(3, 0, Visibility.PRIVATE)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "mood,                0, 5, 0",
            "mood,                6, 5, 0",
            "craving_intensity,   3, -1, 0",
            "craving_intensity,   3, 11, 0",
            "occurred_at,         3, 5, 691200",
            "occurred_at,         3, 5, -600",
    })
    void outOfRangeFieldsAreRefusedByName(String field, int mood, int craving, long secondsAgo) {
        RecordCheckIn command = checkIn(NOW.minusSeconds(secondsAgo), content(mood, craving, Visibility.PRIVATE));
        assertThatThrownBy(() -> new Entry(command, null))
                .isInstanceOfSatisfying(InvalidInput.class, e ->
                        assertThat(e.violations()).extracting(InvalidInput.FieldViolation::field).containsExactly(field));
    }

    @Test
    void useDetailsComeOnlyWithAUse() {
        EntryContent.CheckIn noUseButDetails = new EntryContent.CheckIn(3, 3, false,
                new EntryContent.UseDetails(List.of(Substance.ALCOHOL), true, false), List.of(), "t", List.of(), List.of(), "n", Visibility.PRIVATE);
        assertThatThrownBy(() -> new Entry(checkIn(NOW, noUseButDetails), null))
                .isInstanceOfSatisfying(InvalidInput.class, e ->
                        assertThat(e.violations()).extracting(InvalidInput.FieldViolation::field).containsExactly("use"));
    }

    @Test
    void theAuthorAmendsACheckInIntoANewVersion() {
        fixture.given(recorded(Visibility.PRIVATE))
                .whenInvoking("e1", entry -> entry.amend(amend("alex", "r1", 1, content(2, 7, Visibility.PRIVATE)), "sam"))
                .expectEvents(amended("sam", content(2, 7, Visibility.PRIVATE), false));
    }

    @Test
    void sharingAPrivateEntryLaterIsAnnouncedOnce() {
        fixture.given(recorded(Visibility.PRIVATE))
                .whenInvoking("e1", entry -> entry.amend(amend("alex", "r1", 0, content(4, 2, Visibility.SHARED_WITH_PARTNER)), "sam"))
                .expectEvents(amended("sam", content(4, 2, Visibility.SHARED_WITH_PARTNER), true));
    }

    @Test
    void makingASharedEntryPrivateIsNotAnnounced() {
        fixture.given(recorded(Visibility.SHARED_WITH_PARTNER))
                .whenInvoking("e1", entry -> entry.amend(amend("alex", "r1", 0, content(4, 2, Visibility.PRIVATE)), "sam"))
                .expectEvents(amended("sam", content(4, 2, Visibility.PRIVATE), false));
    }

    @Test
    void sharingWhenThereIsNoPartnerToShareWithAnnouncesNothing() {
        fixture.given(recorded(Visibility.PRIVATE))
                .whenInvoking("e1", entry -> entry.amend(amend("alex", "r1", 0, content(4, 2, Visibility.SHARED_WITH_PARTNER)), null))
                .expectEvents(amended(null, content(4, 2, Visibility.SHARED_WITH_PARTNER), false));
    }

    @Test
    void onlyTheAuthorMayAmend() {
        fixture.given(recorded(Visibility.SHARED_WITH_PARTNER))
                .whenInvoking("e1", entry -> entry.amend(amend("sam", "r1", 0, content(1, 9, Visibility.PRIVATE)), "alex"))
                .expectException(AccessDenied.class)
                .expectNoEvents();
    }

    @Test
    void anAmendmentOfAnOldVersionConflicts() {
        fixture.given(recorded(Visibility.PRIVATE), amended("sam", content(2, 7, Visibility.PRIVATE), false))
                .whenInvoking("e1", entry -> entry.amend(amend("alex", "r2", 1, content(5, 0, Visibility.PRIVATE)), "sam"))
                .expectException(Conflict.class)
                .expectNoEvents();
    }

    @Test
    void aRetriedAmendmentChangesNothing() {
        fixture.given(recorded(Visibility.PRIVATE), amended("sam", content(2, 7, Visibility.PRIVATE), false))
                .whenInvoking("e1", entry -> entry.amend(amend("alex", "r1", 1, content(2, 7, Visibility.PRIVATE)), "sam"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anAmendmentIsValidatedLikeARecording() {
        fixture.given(recorded(Visibility.PRIVATE))
                .whenInvoking("e1", entry -> entry.amend(amend("alex", "r1", 0, content(9, 2, Visibility.PRIVATE)), "sam"))
                .expectException(InvalidInput.class)
                .expectNoEvents();
    }

    @Test
    void theAuthorRetractsAnEntryAndARetryChangesNothing() {
        fixture.given(recorded(Visibility.SHARED_WITH_PARTNER))
                .when(new RetractEntry("e1", "alex", "r1", LATER))
                .expectEvents(new EntryRetracted("e1", "c1", "alex", "r1", 2, LATER));
        fixture.given(recorded(Visibility.SHARED_WITH_PARTNER), new EntryRetracted("e1", "c1", "alex", "r1", 2, LATER))
                .when(new RetractEntry("e1", "alex", "r1", LATER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void onlyTheAuthorMayRetract() {
        fixture.given(recorded(Visibility.SHARED_WITH_PARTNER))
                .when(new RetractEntry("e1", "sam", "r1", LATER))
                .expectException(AccessDenied.class)
                .expectNoEvents();
    }

    @Test
    void aRetractedEntryCannotBeAmendedOrRetractedAgain() {
        fixture.given(recorded(Visibility.PRIVATE), new EntryRetracted("e1", "c1", "alex", "r1", 2, LATER))
                .whenInvoking("e1", entry -> entry.amend(amend("alex", "r2", 0, content(3, 3, Visibility.PRIVATE)), "sam"))
                .expectException(RuleViolation.class)
                .expectNoEvents();
        fixture.given(recorded(Visibility.PRIVATE), new EntryRetracted("e1", "c1", "alex", "r1", 2, LATER))
                .when(new RetractEntry("e1", "alex", "r3", LATER))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void aWeeklyReviewIsRecordedAndCanOnlyBeRetracted() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> new Entry(new RecordWeeklyReview("e1", "c1", "alex", NOW, NOW, review(2)), "sam"))
                .expectEvents(new WeeklyReviewRecorded("e1", "c1", "alex", "sam", NOW, NOW, review(2)));
        fixture.given(new WeeklyReviewRecorded("e1", "c1", "alex", "sam", NOW, NOW, review(2)))
                .whenInvoking("e1", entry -> entry.amend(amend("alex", "r1", 0, content(3, 3, Visibility.PRIVATE)), "sam"))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void weeklyReviewItemsRunFromZeroToFour() {
        assertThatThrownBy(() -> new Entry(new RecordWeeklyReview("e1", "c1", "alex", NOW, NOW, review(5)), null))
                .isInstanceOfSatisfying(InvalidInput.class, e ->
                        assertThat(e.violations()).extracting(InvalidInput.FieldViolation::field).containsExactly("review.sleep_trouble"));
    }
}
