package app.tandem.journal.integration;

import app.tandem.events.v1.WeeklyReviewShared;
import app.tandem.journal.entry.EntryContent;
import app.tandem.journal.entry.EntryEvents.WeeklyReviewRecorded;
import app.tandem.journal.entry.Visibility;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.kafka.IntegrationEvent;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the journal publishes of a weekly review: that it was shared, never its scores or note, never a private one. */
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
