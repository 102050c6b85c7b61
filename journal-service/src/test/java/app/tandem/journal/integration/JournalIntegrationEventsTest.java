package app.tandem.journal.integration;

import app.tandem.events.v1.CheckInShared;
import app.tandem.events.v1.LapseDisclosed;
import app.tandem.events.v1.MilestoneReached;
import app.tandem.events.v1.WeeklyReviewShared;
import app.tandem.journal.entry.EntryContent;
import app.tandem.journal.entry.EntryEvents.CheckInAmended;
import app.tandem.journal.entry.EntryEvents.CheckInRecorded;
import app.tandem.journal.entry.EntryEvents.WeeklyReviewRecorded;
import app.tandem.journal.entry.Trigger;
import app.tandem.journal.entry.Visibility;
import app.tandem.journal.progress.GoalKind;
import app.tandem.journal.progress.ProgressCommands.Use;
import app.tandem.journal.progress.ProgressEvents;
import app.tandem.journal.progress.Substance;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.kafka.IntegrationEvent;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the journal publishes: that an entry was shared, a lapse disclosed, a milestone reached, with ids and times,
 * never a fact about the person (scores, note, mood, craving, use, substances, boundaries, days), never a private entry.
 */
class JournalIntegrationEventsTest {

    private static final Instant OCCURRED = Instant.parse("2026-03-01T18:00:00Z");

    private final JournalIntegrationEvents translator = new JournalIntegrationEvents();

    private static WeeklyReviewRecorded review(Visibility visibility, String partner) {
        return new WeeklyReviewRecorded("entry-1", "couple-1", "alex", partner, OCCURRED, OCCURRED.plusSeconds(60),
                new EntryContent.WeeklyReview(4, 3, 2, 1, 4, 3, 2, 1, "sealed note", visibility));
    }

    private List<IntegrationEvent> translate(Object payload) {
        return translator.translate(GenericEventMessage.asEventMessage(payload));
    }

    private static final String BOUNDARY = "6f1c1c1e-3d0b-4a8e-9a53-0c7f3a0b9d11";

    private static EntryContent.CheckIn checkIn(Visibility visibility) {
        return new EntryContent.CheckIn(2, 9, true, new EntryContent.UseDetails(List.of(Substance.OPIOIDS), true, false),
                List.of(Trigger.values()[0]), "sealed tags", List.of(BOUNDARY), List.of("7a2d2d2f-4e1c-4b9f-8b64-1d8f4b1c0e22"),
                "sealed note", visibility);
    }

    /** The ids-only forms, field by field: an equal message has no other field set. */
    private static CheckInShared sharedCheckIn(boolean counselorMaySee) {
        return CheckInShared.newBuilder().setCheckInId("entry-1").setCoupleId("couple-1").setAuthorPersonId("alex")
                .setPartnerPersonId("sam").setOccurredAt(Timestamps.of(OCCURRED)).setCounselorMaySee(counselorMaySee).build();
    }

    @Test
    void aSharedCheckInIsPublishedWithoutItsMoodCravingUseOrBoundaries() {
        CheckInRecorded recorded = new CheckInRecorded("entry-1", "couple-1", "alex", "sam", OCCURRED, OCCURRED,
                checkIn(Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR));
        assertThat(translate(recorded)).singleElement().satisfies(event -> {
            assertThat(event.payload()).isEqualTo(sharedCheckIn(true));
            assertNoFact(event.payload());
        });
        CheckInAmended amended = new CheckInAmended("entry-1", "couple-1", "alex", "sam", "request-1", 2, OCCURRED, OCCURRED,
                checkIn(Visibility.SHARED_WITH_PARTNER), true);
        assertThat(translate(amended)).singleElement().satisfies(event -> {
            assertThat(event.payload()).isEqualTo(sharedCheckIn(false));
            assertNoFact(event.payload());
        });
        assertThat(translate(new CheckInRecorded("entry-2", "couple-1", "alex", "sam", OCCURRED, OCCURRED, checkIn(Visibility.PRIVATE))))
                .as("a private check-in").isEmpty();
    }

    @Test
    void aDisclosedLapseIsPublishedWithoutWhatWasUsedOrHow() {
        var use = new ProgressEvents.UseRecorded("journey-1", "alex", "lapse-1", "entry-1", OCCURRED,
                new Use(List.of(Substance.OPIOIDS, Substance.ALCOHOL), true, true), true, true, "couple-1", "sam", OCCURRED);
        assertThat(translate(use)).singleElement().satisfies(event -> {
            assertThat(event.payload()).isEqualTo(LapseDisclosed.newBuilder().setLapseId("lapse-1").setCoupleId("couple-1")
                    .setPersonId("alex").setPartnerPersonId("sam").setOccurredAt(Timestamps.of(OCCURRED)).setCheckInId("entry-1").build());
            assertNoFact(event.payload());
        });
        var privately = new ProgressEvents.UseRecorded("journey-1", "alex", "use-2", null, OCCURRED,
                new Use(List.of(Substance.ALCOHOL), false, false), true, true, null, "sam", OCCURRED);
        assertThat(translate(privately)).as("use reported privately").isEmpty();
    }

    @Test
    void aMilestoneIsPublishedWithoutItsDaysOrGoal() {
        var milestone = new ProgressEvents.MilestoneReached("journey-1", "alex", "milestone-1", 90, GoalKind.ABSTINENCE,
                OCCURRED, OCCURRED, "couple-1", "sam", true);
        assertThat(translate(milestone)).singleElement().satisfies(event -> {
            assertThat(event.payload()).isEqualTo(MilestoneReached.newBuilder().setMilestoneId("milestone-1").setCoupleId("couple-1")
                    .setPersonId("alex").setSharedWithPartner(true).setPartnerPersonId("sam").setReachedAt(Timestamps.of(OCCURRED)).build());
            assertNoFact(event.payload());
        });
    }

    @Test
    void theEventsHaveNoFieldForAFactAtAll() {
        for (Message message : List.of(CheckInShared.getDefaultInstance(), LapseDisclosed.getDefaultInstance(),
                MilestoneReached.getDefaultInstance(), WeeklyReviewShared.getDefaultInstance())) {
            assertThat(message.getDescriptorForType().getFields()).as(message.getDescriptorForType().getName())
                    .extracting(FieldDescriptor::getName)
                    .doesNotContainAnyElementsOf(List.of("mood", "craving_intensity", "used", "boundaries_kept", "boundaries_crossed",
                            "substances", "used_alone", "naloxone_at_hand", "days", "goal_kind", "note", "tags", "review"));
        }
    }

    /** Nothing set but ids, people, times and flags about who may see it. */
    private static void assertNoFact(Message payload) {
        assertThat(payload.getAllFields().keySet()).extracting(FieldDescriptor::getName).allSatisfy(name -> assertThat(name)
                .matches("[a-z_]*_id|[a-z_]*_person_id|occurred_at|reached_at|counselor_may_see|shared_with_partner"));
        String bytes = payload.toByteString().toString(StandardCharsets.UTF_8);
        assertThat(bytes).doesNotContain("sealed", BOUNDARY);
    }

    @Test
    void aSharedWeeklyReviewIsPublishedWithoutScoresOrNote() {
        assertThat(translate(review(Visibility.SHARED_WITH_PARTNER, "sam"))).singleElement().satisfies(event -> {
            assertThat(event.coupleId()).isEqualTo("couple-1");
            assertThat(event.subjectPersonId()).isEqualTo("alex");
            assertThat(event.payload()).isEqualTo(WeeklyReviewShared.newBuilder().setEntryId("entry-1").setCoupleId("couple-1")
                    .setAuthorPersonId("alex").setPartnerPersonId("sam").setOccurredAt(Timestamps.of(OCCURRED))
                    .setCounselorMaySee(false).build());
            assertThat(event.payload().toByteString().toString(StandardCharsets.UTF_8)).doesNotContain("sealed note");
        });
    }

    @Test
    void aCounselorMaySeeOneSharedWithPartnerAndCounselor() {
        assertThat(translate(review(Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR, "sam"))).singleElement()
                .satisfies(event -> assertThat(((WeeklyReviewShared) event.payload()).getCounselorMaySee()).isTrue());
    }

    @Test
    void aPrivateReviewOrOneWithNoPartnerToShareWithIsNeverPublished() {
        assertThat(translate(review(Visibility.PRIVATE, "sam"))).isEmpty();
        assertThat(translate(review(Visibility.SHARED_WITH_PARTNER, null))).isEmpty();
    }
}
