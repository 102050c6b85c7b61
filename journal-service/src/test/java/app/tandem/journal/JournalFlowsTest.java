package app.tandem.journal;

import app.tandem.api.v1.AmendCheckInRequest;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.EntryKind;
import app.tandem.api.v1.GetCoupleRequest;
import app.tandem.api.v1.GetEntryHistoryRequest;
import app.tandem.api.v1.GetGoalsRequest;
import app.tandem.api.v1.GetStatsRequest;
import app.tandem.api.v1.GoalKind;
import app.tandem.api.v1.LeaveCoupleRequest;
import app.tandem.api.v1.RequestSupportRequest;
import app.tandem.journal.couple.CoupleDirectory;
import app.tandem.journal.couple.CoupleEvents;
import com.mongodb.MongoException;
import org.axonframework.common.Registration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.ListTimelineResponse;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordWeeklyReviewRequest;
import app.tandem.api.v1.RequestSupportRequest;
import app.tandem.api.v1.RetractEntryRequest;
import app.tandem.api.v1.SetGoalRequest;
import app.tandem.api.v1.Substance;
import app.tandem.api.v1.TimelineEntry;
import app.tandem.api.v1.Trigger;
import app.tandem.api.v1.UseDetails;
import app.tandem.api.v1.Visibility;
import app.tandem.api.v1.WeeklyReview;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.events.v1.LapseDisclosed;
import app.tandem.events.v1.SupportRequested;
import app.tandem.internal.v1.DisclosedLapse;
import app.tandem.internal.v1.GetDisclosedLapseRequest;
import app.tandem.internal.v1.JournalLapseFactsGrpc;
import app.tandem.api.v1.ListProcessorsRequest;
import app.tandem.api.v1.ListProcessorsResponse;
import app.tandem.api.v1.OperatorServiceGrpc;
import app.tandem.journal.JournalCalls.Pair;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.LocalIdentities;
import app.tandem.testkit.RunningService;
import app.tandem.platform.grpc.FieldViolations;
import com.google.protobuf.InvalidProtocolBufferException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static app.tandem.journal.JournalCalls.as;
import static app.tandem.journal.JournalCalls.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Leaving, amending, paging, lapses and refused input: journal-service on the embedded stack over real gRPC. */
class JournalFlowsTest {

    private static RunningService journal;
    private static JournalCalls calls;

    @BeforeAll
    static void start() {
        journal = RunningService.start(JournalApplication.NAME, JournalApplication.class, EmbeddedStack.shared().serviceProperties(JournalApplication.NAME));
        calls = new JournalCalls(journal);
    }

    @AfterAll
    static void stop() {
        journal.close();
    }

    private static void assertStatus(ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }

    private static List<String> ids(ListTimelineResponse page) {
        return page.getEntriesList().stream().map(TimelineEntry::getCheckInId).toList();
    }

    @Test
    void afterALeaveThePartnerLosesTheLeaversEntriesAtOnceAndTheLeaverKeepsTheirs() {
        Pair pair = calls.couple();
        String alexShared = calls.record(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER, "from alex");
        String samShared = calls.record(pair, pair.sam(), Visibility.SHARED_WITH_PARTNER, "from sam");
        String samPrivate = calls.record(pair, pair.sam(), Visibility.PRIVATE, "sam alone");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ids(calls.timeline(pair, pair.alex()))).containsExactlyInAnyOrder(alexShared, samShared));

        calls.couples.withCallCredentials(as(pair.sam())).leaveCouple(LeaveCoupleRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(pair.coupleId()).build());

        // no waiting: the very next read no longer shows the leaver's entries
        assertThat(ids(calls.timeline(pair, pair.alex()))).containsExactly(alexShared);
        assertThat(ids(calls.timeline(pair, pair.sam()))).containsExactlyInAnyOrder(samShared, samPrivate);
        var alexView = calls.couples.withCallCredentials(as(pair.alex())).getCouple(GetCoupleRequest.newBuilder().setCoupleId(pair.coupleId()).build());
        assertThat(alexView.getShared()).isFalse();
        assertThat(alexView.getPartnerPersonIdsList()).containsExactly(pair.alex());

        // the journal takes no new entries; the leaver is no longer a partner at all
        assertStatus(() -> calls.record(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER, "anyone?"), Status.Code.FAILED_PRECONDITION);
        assertStatus(() -> calls.record(pair, pair.sam(), Visibility.PRIVATE, "back?"), Status.Code.PERMISSION_DENIED);
        // both are free to start again
        for (String person : List.of(pair.alex(), pair.sam())) {
            assertThat(calls.couples.withCallCredentials(as(person)).createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(key()).build()).getCoupleId()).isNotEqualTo(pair.coupleId());
        }
    }

    @Test
    void whenTheMembershipWriteFailsRightAfterALeaveTheStoredLeaveStillDecidesAccess() {
        Pair pair = calls.couple();
        String alexShared = calls.record(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER, "from alex");
        String samShared = calls.record(pair, pair.sam(), Visibility.SHARED_WITH_PARTNER, "from sam");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ids(calls.timeline(pair, pair.sam()))).containsExactlyInAnyOrder(alexShared, samShared));

        // the directory's write of this leave fails after PartnerLeft is stored (no transaction joins the two)
        EventProcessor directory = journal.bean(EventProcessingConfiguration.class).eventProcessor("couple-directory").orElseThrow();
        Registration failing = directory.registerHandlerInterceptor((unitOfWork, chain) -> {
            if (unitOfWork.getMessage().getPayload() instanceof CoupleEvents.PartnerLeft left && left.coupleId().equals(pair.coupleId())) {
                throw new MongoException("the membership write failed");
            }
            return chain.proceed();
        });
        LeaveCoupleRequest leave = LeaveCoupleRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(pair.coupleId()).build();
        try {
            assertThatThrownBy(() -> calls.couples.withCallCredentials(as(pair.sam())).leaveCouple(leave))
                    .isInstanceOf(StatusRuntimeException.class);
        } finally {
            failing.cancel();
        }
        assertThat(journal.bean(CoupleDirectory.class).find(pair.coupleId()).orElseThrow().isPartner(pair.sam()))
                .as("the directory still lists the leaver").isTrue();
        // a retry finds the leave stored and changes nothing
        calls.couples.withCallCredentials(as(pair.sam())).leaveCouple(leave);
        assertThat(journal.bean(CoupleDirectory.class).find(pair.coupleId()).orElseThrow().isPartner(pair.sam())).isTrue();

        // yet the leaver reads only their own entries, and is a partner of nothing
        assertThat(ids(calls.timeline(pair, pair.sam()))).containsExactly(samShared);
        assertStatus(() -> calls.couples.withCallCredentials(as(pair.sam())).getCouple(GetCoupleRequest.newBuilder().setCoupleId(pair.coupleId()).build()),
                Status.Code.PERMISSION_DENIED);
        assertStatus(() -> calls.record(pair, pair.sam(), Visibility.SHARED_WITH_PARTNER, "still here?"), Status.Code.PERMISSION_DENIED);
        assertStatus(() -> calls.entries.withCallCredentials(as(pair.sam())).requestSupport(RequestSupportRequest.newBuilder()
                .setIdempotencyKey(key()).setCoupleId(pair.coupleId()).build()), Status.Code.PERMISSION_DENIED);
        // the one who stays no longer shares the journal, and both may start again
        assertThat(ids(calls.timeline(pair, pair.alex()))).containsExactly(alexShared);
        assertThat(calls.couples.withCallCredentials(as(pair.alex())).getCouple(GetCoupleRequest.newBuilder().setCoupleId(pair.coupleId()).build()).getShared())
                .isFalse();
        for (String person : List.of(pair.alex(), pair.sam())) {
            assertThat(calls.couples.withCallCredentials(as(person)).createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(key()).build()).getCoupleId())
                    .isNotEqualTo(pair.coupleId());
        }
    }

    @Test
    void theAuthorAmendsAndRetractsAndAloneSeesTheHistory() {
        Pair pair = calls.couple();
        String entry = calls.record(pair, pair.alex(), Visibility.PRIVATE, "first words");
        var amend = AmendCheckInRequest.newBuilder().setIdempotencyKey(key()).setEntryId(entry).setExpectedVersion(1)
                .setMood(2).setCravingIntensity(6).setNote("second thoughts").setVisibility(Visibility.SHARED_WITH_PARTNER)
                .addTriggers(Trigger.CONFLICT).addTags("the call with mum");
        assertThat(calls.entries.withCallCredentials(as(pair.alex())).amendCheckIn(amend.build()).getVersion())
                .isEqualTo(2);
        // the retry answers the same and makes no third version
        assertThat(calls.entries.withCallCredentials(as(pair.alex())).amendCheckIn(amend.build()).getVersion())
                .isEqualTo(2);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(calls.timeline(pair, pair.sam()).getEntriesList())
                .singleElement().satisfies(e -> {
                    assertThat(e.getNote()).isEqualTo("second thoughts");
                    assertThat(e.getVersion()).isEqualTo(2);
                    assertThat(e.getTagsList()).containsExactly("the call with mum");
                }));
        assertStatus(() -> calls.entries.withCallCredentials(as(pair.sam())).amendCheckIn(amend.clone().setIdempotencyKey(key()).build()), Status.Code.PERMISSION_DENIED);
        assertStatus(() -> calls.entries.withCallCredentials(as(pair.alex())).amendCheckIn(amend.clone().setIdempotencyKey(key()).build()), Status.Code.ABORTED);
        assertStatus(() -> calls.entries.withCallCredentials(as(pair.sam())).getEntryHistory(GetEntryHistoryRequest.newBuilder().setEntryId(entry).build()), Status.Code.PERMISSION_DENIED);

        calls.entries.withCallCredentials(as(pair.alex())).retractEntry(RetractEntryRequest.newBuilder().setIdempotencyKey(key()).setEntryId(entry).build());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(calls.timeline(pair, pair.sam()).getEntriesList()).isEmpty();
            assertThat(calls.timeline(pair, pair.alex()).getEntriesList()).isEmpty();
        });
        var history = calls.entries.withCallCredentials(as(pair.alex())).getEntryHistory(GetEntryHistoryRequest.newBuilder().setEntryId(entry).build()).getVersionsList();
        assertThat(history).extracting(TimelineEntry::getNote).containsExactly("first words", "second thoughts", "second thoughts");
        assertThat(history).extracting(TimelineEntry::getRetracted).containsExactly(false, false, true);
    }

    @Test
    void pagesStayStableWhileNewEntriesArrive() {
        Pair pair = calls.couple();
        Instant base = Instant.now().minus(Duration.ofDays(2));
        List<String> recorded = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Instant at = base.plus(Duration.ofMinutes(i));
            recorded.add(0, calls.record(pair.alex(), RecordCheckInRequest.newBuilder().setCoupleId(pair.coupleId()).setMood(3)
                    .setCravingIntensity(i % 11).setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()))));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(calls.timeline(pair.alex(), ListTimelineRequest.newBuilder().setCoupleId(pair.coupleId()).setPageSize(100))
                        .getEntriesCount()).isEqualTo(25));

        List<String> seen = new ArrayList<>();
        String token = "";
        do {
            ListTimelineResponse page = calls.timeline(pair.alex(), ListTimelineRequest.newBuilder().setCoupleId(pair.coupleId())
                    .setPageSize(10).setPageToken(token));
            seen.addAll(ids(page));
            token = page.getNextPageToken();
            // new entries keep arriving while the reader pages back
            calls.record(pair, pair.alex(), Visibility.PRIVATE, "meanwhile");
        } while (!token.isEmpty());
        assertThat(seen).containsExactlyElementsOf(recorded);
    }

    @Test
    void theTimelineFiltersByKindAndDate() {
        Pair pair = calls.couple();
        String checkIn = calls.record(pair, pair.alex(), Visibility.PRIVATE, "");
        String review = calls.entries.withCallCredentials(as(pair.alex())).recordWeeklyReview(RecordWeeklyReviewRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(pair.coupleId())
                        .setReview(WeeklyReview.newBuilder().setSleepTrouble(2).setConfidence(3)).setNote("a steadier week").build()).getEntryId();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ids(calls.timeline(pair, pair.alex()))).containsExactlyInAnyOrder(checkIn, review));
        assertThat(calls.timeline(pair.alex(), ListTimelineRequest.newBuilder().setCoupleId(pair.coupleId()).addKinds(EntryKind.WEEKLY_REVIEW))
                .getEntriesList()).singleElement().satisfies(e -> {
                    assertThat(e.getReview().getSleepTrouble()).isEqualTo(2);
                    assertThat(e.getNote()).isEqualTo("a steadier week");
                });
        Timestamp tomorrow = Timestamp.newBuilder().setSeconds(Instant.now().plus(Duration.ofDays(1)).getEpochSecond()).build();
        assertThat(calls.timeline(pair.alex(), ListTimelineRequest.newBuilder().setCoupleId(pair.coupleId()).setFrom(tomorrow))
                .getEntriesList()).isEmpty();
    }

    @Test
    void aLapseSharedWithThePartnerIsDisclosedAndOneReportedPrivatelyNeverLeaves() throws InvalidProtocolBufferException {
        Pair pair = calls.couple();
        calls.progress.withCallCredentials(as(pair.alex())).setGoal(SetGoalRequest.newBuilder()
                .setIdempotencyKey(key()).setKind(GoalKind.ABSTINENCE).addSubstances(Substance.ALCOHOL).build());
        UseDetails alcohol = UseDetails.newBuilder().addSubstances(Substance.ALCOHOL).setUsedAlone(true).build();
        String secretUse = calls.record(pair.alex(), RecordCheckInRequest.newBuilder().setCoupleId(pair.coupleId()).setMood(2)
                .setCravingIntensity(8).setUsed(true).setUse(alcohol).setNote("nobody may know").addTags("bar on 5th")
                .setOccurredAt(Timestamp.newBuilder().setSeconds(Instant.now().minus(Duration.ofHours(5)).getEpochSecond())));
        String sharedUse = calls.record(pair.alex(), RecordCheckInRequest.newBuilder().setCoupleId(pair.coupleId()).setMood(2)
                .setCravingIntensity(8).setUsed(true).setUse(alcohol).setVisibility(Visibility.SHARED_WITH_PARTNER).setNote("I slipped"));
        calls.entries.withCallCredentials(as(pair.alex())).requestSupport(RequestSupportRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(pair.coupleId()).build());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var stats = calls.progress.withCallCredentials(as(pair.alex())).getStats(GetStatsRequest.getDefaultInstance());
            assertThat(stats.hasLastUseAt()).isTrue();
            assertThat(stats.getCurrentStreakDays()).isLessThan(0.01);
            assertThat(stats.getCraving().getCount7Days()).isEqualTo(2);
        });
        List<byte[]> raw = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            raw.clear();
            raw.addAll(PublishedEvents.recordsKeyed(pair.coupleId()));
            assertThat(types(raw)).contains("tandem.events.v1.LapseDisclosed", "tandem.events.v1.SupportRequested");
        });
        for (byte[] record : raw) {
            assertThat(new String(record, StandardCharsets.UTF_8)).doesNotContain("nobody may know", "I slipped", "bar on 5th");
        }
        List<LapseDisclosed> lapses = new ArrayList<>();
        for (byte[] record : raw) {
            EventEnvelope envelope = EventEnvelope.parseFrom(record);
            if (envelope.getPayload().is(LapseDisclosed.class)) {
                lapses.add(envelope.getPayload().unpack(LapseDisclosed.class));
            }
            if (envelope.getPayload().is(SupportRequested.class)) {
                assertThat(envelope.getPayload().unpack(SupportRequested.class).getPartnerPersonId()).isEqualTo(pair.sam());
            }
            assertThat(envelope.getPayload().toByteString().toStringUtf8()).doesNotContain(secretUse);
        }
        assertThat(lapses).singleElement().satisfies(lapse -> {
            assertThat(lapse.getCheckInId()).isEqualTo(sharedUse);
            assertThat(lapse.getPartnerPersonId()).isEqualTo(pair.sam());
        });
        // what it was is not on Kafka: plans-service asks the journal, under its own identity
        var facts = JournalLapseFactsGrpc.newBlockingStub(journal.channel())
                .withCallCredentials(LocalIdentities.shared().assertionsOf("plans-service").asService(JournalApplication.NAME))
                .getDisclosedLapse(GetDisclosedLapseRequest.newBuilder().setLapseId(lapses.get(0).getLapseId()).build());
        assertThat(facts).isEqualTo(DisclosedLapse.newBuilder().addSubstances(Substance.ALCOHOL).setUsedAlone(true).build());
        assertThat(calls.progress.withCallCredentials(as(pair.alex())).getGoals(GetGoalsRequest.getDefaultInstance())
                .getCurrent().getKind()).isEqualTo(GoalKind.ABSTINENCE);
    }

    private static List<String> types(List<byte[]> records) throws InvalidProtocolBufferException {
        List<String> types = new ArrayList<>();
        for (byte[] record : records) {
            types.add(EventEnvelope.parseFrom(record).getEventType());
        }
        return types;
    }

    static Stream<Arguments> invalidCheckIns() {
        return Stream.of(
                invalid("mood", r -> r.setMood(0)),
                invalid("mood", r -> r.setMood(6)),
                invalid("craving_intensity", r -> r.setCravingIntensity(-1)),
                invalid("craving_intensity", r -> r.setCravingIntensity(11)),
                invalid("note", r -> r.setNote("x".repeat(4001))),
                invalid("visibility", r -> r.setVisibilityValue(9)),
                invalid("occurred_at", r -> r.setOccurredAt(Timestamp.newBuilder().setSeconds(Instant.now().plus(Duration.ofHours(1)).getEpochSecond()))),
                invalid("occurred_at", r -> r.setOccurredAt(Timestamp.newBuilder().setSeconds(Instant.now().minus(Duration.ofDays(8)).getEpochSecond()))),
                invalid("occurred_at", r -> r.setOccurredAt(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE))),
                invalid("use", r -> r.setUse(UseDetails.newBuilder().setUsedAlone(true))),
                invalid("use.substances", r -> r.setUsed(true).setUse(UseDetails.newBuilder().addSubstancesValue(42))),
                invalid("triggers", r -> r.addTriggersValue(99)),
                invalid("tags", r -> r.addTags("x".repeat(41))),
                invalid("tags", r -> { for (int i = 0; i < 11; i++) { r.addTags("t" + i); } }),
                invalid("boundaries_kept", r -> r.addBoundariesKept("not-a-boundary")),
                invalid("boundaries_crossed", r -> r.addBoundariesKept("6f1c1c1e-3d0b-4a8e-9a53-0c7f3a0b9d11")
                        .addBoundariesCrossed("6f1c1c1e-3d0b-4a8e-9a53-0c7f3a0b9d11")),
                invalid("idempotency_key", r -> r.setIdempotencyKey("")),
                invalid("couple_id", r -> r.setCoupleId("not-a-couple")));
    }

    private static Arguments invalid(String field, Consumer<RecordCheckInRequest.Builder> breakIt) {
        return Arguments.of(field, breakIt);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCheckIns")
    void anOutOfRangeCheckInNamesTheFieldAndStoresNothing(String field, Consumer<RecordCheckInRequest.Builder> breakIt) {
        Pair pair = calls.couple();
        long headBefore = settledHead();
        RecordCheckInRequest.Builder request = RecordCheckInRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(pair.coupleId())
                .setMood(3).setCravingIntensity(4).setNote("words that must not be kept").addTags("nor this");
        breakIt.accept(request);
        assertThatThrownBy(() -> calls.entries.withCallCredentials(as(pair.alex())).recordCheckIn(request.build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(FieldViolations.fieldsOf(e)).containsExactly(field);
                });
        assertThat(settledHead()).as("no event was stored").isEqualTo(headBefore);
        assertThat(journal.bean(MongoDatabase.class).getCollection("person_keys").countDocuments(Filters.eq("_id", pair.alex())))
                .as("nothing was even encrypted").isZero();
    }

    @Test
    void otherRefusedRequestsNameTheirFieldToo() {
        Pair pair = calls.couple();
        long headBefore = settledHead();
        assertFields(() -> calls.entries.withCallCredentials(as(pair.alex())).recordWeeklyReview(RecordWeeklyReviewRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(pair.coupleId())
                        .setReview(WeeklyReview.newBuilder().setMeetings(5)).build()), "review.meetings");
        assertFields(() -> calls.progress.withCallCredentials(as(pair.alex())).setGoal(SetGoalRequest.newBuilder().setIdempotencyKey(key()).build()), "kind");
        assertFields(() -> calls.entries.withCallCredentials(as(pair.alex())).amendCheckIn(AmendCheckInRequest.newBuilder().setIdempotencyKey(key()).setEntryId("nope").setMood(3).build()), "entry_id");
        assertFields(() -> calls.timeline(pair.alex(), ListTimelineRequest.newBuilder().setCoupleId(pair.coupleId()).setPageSize(500)), "page_size");
        assertThat(settledHead()).as("no event was stored").isEqualTo(headBefore);
    }

    private static void assertFields(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(FieldViolations.fieldsOf(e)).containsExactly(field);
        });
    }

    /**
     * The newest stored position once every processor has caught up and it stayed the same over three reads 150 ms
     * apart, so late events of earlier tests are counted.
     */
    private static long settledHead() {
        OperatorServiceGrpc.OperatorServiceBlockingStub operations = JournalCalls.operator(journal);
        long[] head = {-1};
        int[] unchanged = {0};
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(150)).until(() -> {
            ListProcessorsResponse status = operations.listProcessors(ListProcessorsRequest.newBuilder().setService(JournalApplication.NAME).build());
            boolean caughtUp = status.getProcessorsList().stream().flatMap(p -> p.getSegmentsList().stream())
                    .allMatch(s -> s.getPosition() >= status.getHeadPosition());
            unchanged[0] = caughtUp && status.getHeadPosition() == head[0] ? unchanged[0] + 1 : 0;
            head[0] = status.getHeadPosition();
            return unchanged[0] >= 2;
        });
        return head[0];
    }
}
