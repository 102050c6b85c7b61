package app.tandem.journal;

import app.tandem.api.v1.AmendCheckInRequest;
import app.tandem.api.v1.DiscloseLapseRequest;
import app.tandem.api.v1.GetStatsRequest;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordWeeklyReviewRequest;
import app.tandem.api.v1.RetractEntryRequest;
import app.tandem.api.v1.ReviewScores;
import app.tandem.api.v1.Stats;
import app.tandem.api.v1.Substance;
import app.tandem.api.v1.TimelineEntry;
import app.tandem.api.v1.UseDetails;
import app.tandem.api.v1.Visibility;
import app.tandem.api.v1.WeeklyReview;
import app.tandem.internal.v1.CareFigures;
import app.tandem.internal.v1.GetCareFiguresRequest;
import app.tandem.internal.v1.GetDisclosedEntriesRequest;
import app.tandem.internal.v1.JournalDisclosuresGrpc;
import app.tandem.journal.JournalCalls.Pair;
import app.tandem.platform.grpc.FieldViolations;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.LocalIdentities;
import app.tandem.testkit.RunningService;
import com.google.protobuf.Timestamp;
import io.grpc.CallCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static app.tandem.journal.JournalCalls.as;
import static app.tandem.journal.JournalCalls.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** care-service asks the journal for a partner's disclosed items, over a real gRPC channel under its own identity. */
class JournalDisclosuresTest {

    private static RunningService journal;
    private static JournalCalls calls;
    private static JournalDisclosuresGrpc.JournalDisclosuresBlockingStub care;

    @BeforeAll
    static void start() {
        journal = RunningService.start(JournalApplication.NAME, JournalApplication.class, EmbeddedStack.shared().serviceProperties(JournalApplication.NAME));
        calls = new JournalCalls(journal);
        care = stub(service("care-service"));
    }

    @AfterAll
    static void stop() {
        journal.close();
    }

    private static CallCredentials service(String name) {
        return LocalIdentities.shared().assertionsOf(name).asService(JournalApplication.NAME);
    }

    private static JournalDisclosuresGrpc.JournalDisclosuresBlockingStub stub(CallCredentials credentials) {
        return JournalDisclosuresGrpc.newBlockingStub(journal.channel()).withCallCredentials(credentials);
    }

    private static GetDisclosedEntriesRequest.Builder entriesOf(String person, List<String> ids) {
        return GetDisclosedEntriesRequest.newBuilder().setConsentId("consent-" + key()).setPersonId(person).addAllEntryIds(ids);
    }

    private static GetCareFiguresRequest.Builder figuresOf(String person) {
        return GetCareFiguresRequest.newBuilder().setConsentId("consent-" + key()).setPersonId(person);
    }

    private static Map<String, TimelineEntry> byId(List<TimelineEntry> entries) {
        return entries.stream().collect(Collectors.toMap(TimelineEntry::getCheckInId, Function.identity()));
    }

    private static Timestamp ago(Duration duration) {
        return Timestamp.newBuilder().setSeconds(Instant.now().minus(duration).getEpochSecond()).build();
    }

    private static String checkIn(Pair pair, String author, Visibility visibility, int mood, String note) {
        return calls.record(author, RecordCheckInRequest.newBuilder().setCoupleId(pair.coupleId()).setMood(mood)
                .setCravingIntensity(mood).setNote(note).addTags("tag of " + note).setVisibility(visibility));
    }

    private static String review(Pair pair, Visibility visibility, int sleepTrouble, Duration ago, String note) {
        return calls.entries.withCallCredentials(as(pair.alex())).recordWeeklyReview(RecordWeeklyReviewRequest.newBuilder()
                .setIdempotencyKey(key()).setCoupleId(pair.coupleId()).setVisibility(visibility).setOccurredAt(ago(ago))
                .setReview(WeeklyReview.newBuilder().setSleepTrouble(sleepTrouble).setConfidence(3)).setNote(note).build()).getEntryId();
    }

    private static void retract(String author, String entryId) {
        calls.entries.withCallCredentials(as(author)).retractEntry(RetractEntryRequest.newBuilder().setIdempotencyKey(key()).setEntryId(entryId).build());
    }

    private static void assertStatus(ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }

    @Test
    void onlyTheAuthorsSharedEntriesAreDisclosedWithNotesOnlyWhenAskedAndNeverTags() {
        Pair pair = calls.couple();
        String shared = checkIn(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER, 2, "shared words");
        String withCounselor = checkIn(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR, 4, "for the counselor too");
        String secret = checkIn(pair, pair.alex(), Visibility.PRIVATE, 1, "nobody may know");
        String retracted = checkIn(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER, 3, "taken back");
        String samsEntry = checkIn(pair, pair.sam(), Visibility.SHARED_WITH_PARTNER, 5, "sam's own");
        String sharedReview = review(pair, Visibility.SHARED_WITH_PARTNER, 2, Duration.ofHours(1), "a steadier week");
        String privateReview = review(pair, Visibility.PRIVATE, 4, Duration.ofHours(1), "a hard week");
        retract(pair.alex(), retracted);
        calls.entries.withCallCredentials(as(pair.alex())).amendCheckIn(AmendCheckInRequest.newBuilder().setIdempotencyKey(key())
                .setEntryId(shared).setExpectedVersion(1).setMood(5).setCravingIntensity(1).setNote("second thoughts")
                .addTags("still a tag").setVisibility(Visibility.SHARED_WITH_PARTNER).build());
        List<String> asked = List.of(shared, withCounselor, secret, retracted, samsEntry, sharedReview, privateReview,
                "6f1c1c1e-3d0b-4a8e-9a53-0c7f3a0b9d11", "not even an id");

        Map<String, TimelineEntry> withoutNotes = byId(care.getDisclosedEntries(entriesOf(pair.alex(), asked).build()).getEntriesList());
        assertThat(withoutNotes).containsOnlyKeys(shared, withCounselor, sharedReview);
        assertThat(withoutNotes.values()).allSatisfy(entry -> {
            assertThat(entry.getNote()).isEmpty();
            assertThat(entry.getTagsList()).isEmpty();
            assertThat(entry.getAuthorPersonId()).isEqualTo(pair.alex());
        });
        // the latest version
        assertThat(withoutNotes.get(shared).getVersion()).isEqualTo(2);
        assertThat(withoutNotes.get(shared).getMood()).isEqualTo(5);
        assertThat(withoutNotes.get(withCounselor).getVisibility()).isEqualTo(Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR);
        assertThat(withoutNotes.get(sharedReview).getReview().getSleepTrouble()).isEqualTo(2);

        Map<String, TimelineEntry> withNotes = byId(care.getDisclosedEntries(entriesOf(pair.alex(), asked).setIncludeNotes(true).build()).getEntriesList());
        assertThat(withNotes).containsOnlyKeys(shared, withCounselor, sharedReview);
        assertThat(withNotes.get(shared).getNote()).isEqualTo("second thoughts");
        assertThat(withNotes.get(withCounselor).getNote()).isEqualTo("for the counselor too");
        assertThat(withNotes.get(sharedReview).getNote()).isEqualTo("a steadier week");
        assertThat(withNotes.values()).allSatisfy(entry -> assertThat(entry.getTagsList()).isEmpty());

        // named for someone else, an entry is not theirs to disclose
        assertThat(care.getDisclosedEntries(entriesOf(pair.sam(), asked).setIncludeNotes(true).build()).getEntriesList())
                .extracting(TimelineEntry::getCheckInId).containsExactly(samsEntry);
        assertThat(care.getDisclosedEntries(entriesOf(pair.alex(), List.of()).build()).getEntriesList()).isEmpty();
    }

    @Test
    void figuresAreOfSharedItemsOnlyAndOnlyThoseAskedFor() {
        Pair pair = calls.couple();
        // a use reported only privately two days ago (the journey counts from it), then a lapse disclosed explicitly
        UseDetails alcohol = UseDetails.newBuilder().addSubstances(Substance.ALCOHOL).build();
        calls.record(pair.alex(), RecordCheckInRequest.newBuilder().setCoupleId(pair.coupleId()).setMood(1).setCravingIntensity(9)
                .setUsed(true).setUse(alcohol).setOccurredAt(ago(Duration.ofDays(2))));
        await().atMost(Duration.ofSeconds(20)).until(() -> stats(pair.alex()).hasLastUseAt());
        checkIn(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER, 5, "good day");
        checkIn(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR, 3, "fine day");
        checkIn(pair, pair.alex(), Visibility.PRIVATE, 1, "a day nobody may know about");
        retract(pair.alex(), checkIn(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER, 1, "taken back"));
        checkIn(pair, pair.sam(), Visibility.SHARED_WITH_PARTNER, 1, "sam's day");
        review(pair, Visibility.SHARED_WITH_PARTNER, 3, Duration.ofDays(3), "older week");
        review(pair, Visibility.PRIVATE, 4, Duration.ofDays(2), "private week");
        review(pair, Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR, 1, Duration.ofDays(1), "newer week");
        retract(pair.alex(), review(pair, Visibility.SHARED_WITH_PARTNER, 2, Duration.ofHours(1), "taken back"));
        calls.progress.withCallCredentials(as(pair.alex())).discloseLapse(DiscloseLapseRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(pair.coupleId()).setUse(alcohol).setOccurredAt(ago(Duration.ofHours(1))).build());

        CareFigures all = care.getCareFigures(figuresOf(pair.alex()).setCheckInTrends(true).setWeeklyReviews(true)
                .setMilestones(true).setLapses(true).build());
        // the private check-in (mood 1), the one with the private use and the retracted one are not in the figures
        assertThat(all.getMood().getCount7Days()).isEqualTo(2);
        assertThat(all.getMood().getAverage7Days()).isEqualTo(4.0);
        assertThat(all.getMood().getCount30Days()).isEqualTo(2);
        assertThat(all.getCraving().getAverage30Days()).isEqualTo(4.0);
        assertThat(all.getWeeklyReviewsList()).extracting(r -> r.getReview().getSleepTrouble()).containsExactly(3, 1);
        assertThat(all.getWeeklyReviewsList()).extracting(ReviewScores::getOccurredAt).isSortedAccordingTo(
                (a, b) -> Long.compare(a.getSeconds(), b.getSeconds()));
        assertThat(all.getLapses30Days()).isEqualTo(1);
        Stats stats = stats(pair.alex());
        assertThat(all.getMilestonesList()).isEqualTo(stats.getMilestonesList());
        assertThat(all.getCurrentDaysWithoutUse()).isCloseTo(stats.getCurrentStreakDays(), within(0.01));
        assertThat(all.getCurrentDaysWithoutUse()).isBetween(0.01, 0.1);
        // the partner's own figures still count everything of theirs
        assertThat(stats.getMood().getCount7Days()).isEqualTo(4);

        CareFigures lapsesOnly = care.getCareFigures(figuresOf(pair.alex()).setLapses(true).build());
        assertThat(lapsesOnly).isEqualTo(CareFigures.newBuilder().setLapses30Days(1).build());
        CareFigures reviewsOnly = care.getCareFigures(figuresOf(pair.alex()).setWeeklyReviews(true).build());
        assertThat(reviewsOnly.hasMood()).isFalse();
        assertThat(reviewsOnly.getMilestonesList()).isEmpty();
        assertThat(reviewsOnly.getWeeklyReviewsCount()).isEqualTo(2);
        assertThat(care.getCareFigures(figuresOf(pair.alex()).build())).isEqualTo(CareFigures.getDefaultInstance());
        // someone the journal knows nothing of has no figures
        CareFigures stranger = care.getCareFigures(figuresOf("stranger-" + key()).setCheckInTrends(true).setWeeklyReviews(true)
                .setMilestones(true).setLapses(true).build());
        assertThat(stranger.getMood().getCount30Days()).isZero();
        assertThat(stranger.getWeeklyReviewsList()).isEmpty();
        assertThat(stranger.getLapses30Days()).isZero();
    }

    private static Stats stats(String person) {
        return calls.progress.withCallCredentials(as(person)).getStats(GetStatsRequest.getDefaultInstance());
    }

    @Test
    void onlyCareServiceMayAsk() {
        Pair pair = calls.couple();
        String shared = checkIn(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER, 4, "shared words");
        GetDisclosedEntriesRequest entries = entriesOf(pair.alex(), List.of(shared)).setIncludeNotes(true).build();
        GetCareFiguresRequest figures = figuresOf(pair.alex()).setCheckInTrends(true).build();
        for (CallCredentials refused : List.of(as(pair.sam()), as(pair.alex()), service("notifications-service"), service("plans-service"))) {
            assertStatus(() -> stub(refused).getDisclosedEntries(entries), Status.Code.PERMISSION_DENIED);
            assertStatus(() -> stub(refused).getCareFigures(figures), Status.Code.PERMISSION_DENIED);
        }
        // an assertion signed for another service is not one for the journal
        CallCredentials misaddressed = LocalIdentities.shared().assertionsOf("care-service").asService("plans-service");
        assertStatus(() -> stub(misaddressed).getDisclosedEntries(entries), Status.Code.UNAUTHENTICATED);
        assertThat(care.getDisclosedEntries(entries).getEntriesList()).singleElement()
                .satisfies(e -> assertThat(e.getNote()).isEqualTo("shared words"));
    }

    @Test
    void refusedRequestsNameTheirField() {
        assertFields(() -> care.getDisclosedEntries(GetDisclosedEntriesRequest.newBuilder().setPersonId("alex").build()), "consent_id");
        assertFields(() -> care.getDisclosedEntries(GetDisclosedEntriesRequest.newBuilder().setConsentId("c").setPersonId(" ").build()), "person_id");
        assertFields(() -> care.getDisclosedEntries(entriesOf("x".repeat(201), List.of()).build()), "person_id");
        assertFields(() -> care.getDisclosedEntries(entriesOf("alex", Collections.nCopies(101, key())).build()), "entry_ids");
        assertFields(() -> care.getDisclosedEntries(entriesOf("alex", List.of("x".repeat(201))).build()), "entry_ids");
        assertFields(() -> care.getCareFigures(GetCareFiguresRequest.newBuilder().setConsentId("x".repeat(201)).setPersonId("alex").build()), "consent_id");
        assertFields(() -> care.getCareFigures(GetCareFiguresRequest.newBuilder().setConsentId("c").build()), "person_id");
    }

    private static void assertFields(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(FieldViolations.fieldsOf(e)).containsExactly(field);
        });
    }
}
