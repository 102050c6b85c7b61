package app.tandem.journal;

import app.tandem.api.v1.AmendCheckInRequest;
import app.tandem.api.v1.DiscloseLapseRequest;
import app.tandem.api.v1.GoalKind;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RetractEntryRequest;
import app.tandem.api.v1.SetGoalRequest;
import app.tandem.api.v1.Substance;
import app.tandem.api.v1.UseDetails;
import app.tandem.api.v1.Visibility;
import app.tandem.events.v1.MilestoneReached;
import app.tandem.internal.v1.DisclosedLapse;
import app.tandem.internal.v1.GetDisclosedLapseRequest;
import app.tandem.internal.v1.GetMilestoneRequest;
import app.tandem.internal.v1.GetSharedCheckInRequest;
import app.tandem.internal.v1.JournalCheckInFactsGrpc;
import app.tandem.internal.v1.JournalLapseFactsGrpc;
import app.tandem.internal.v1.JournalMilestoneFactsGrpc;
import app.tandem.internal.v1.MilestoneFacts;
import app.tandem.internal.v1.SharedCheckIn;
import app.tandem.journal.JournalCalls.Pair;
import app.tandem.platform.grpc.FieldViolations;
import app.tandem.platform.time.SettableClock;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.LocalIdentities;
import app.tandem.testkit.RunningService;
import io.grpc.CallCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static app.tandem.journal.JournalCalls.as;
import static app.tandem.journal.JournalCalls.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The facts the journal's integration events leave out, asked over a real gRPC channel by the services each API names,
 * under their own identities: only what was already told (shared, disclosed, celebrated) and still stands.
 */
class JournalFactsTest {

    private static final String BOUNDARY_KEPT = "6f1c1c1e-3d0b-4a8e-9a53-0c7f3a0b9d11";
    private static final String BOUNDARY_CROSSED = "7a2d2d2f-4e1c-4b9f-8b64-1d8f4b1c0e22";
    private static final SettableClock clock = new SettableClock();
    private static RunningService journal;
    private static JournalCalls calls;

    @BeforeAll
    static void start() {
        journal = RunningService.start(JournalApplication.NAME, JournalApplication.class,
                EmbeddedStack.shared().serviceProperties(JournalApplication.NAME), clock);
        calls = new JournalCalls(journal);
    }

    @AfterAll
    static void stop() {
        journal.close();
    }

    private static CallCredentials service(String name) {
        return LocalIdentities.shared().assertionsOf(name).asService(JournalApplication.NAME);
    }

    private static JournalCheckInFactsGrpc.JournalCheckInFactsBlockingStub checkIns(String caller) {
        return JournalCheckInFactsGrpc.newBlockingStub(journal.channel()).withCallCredentials(service(caller));
    }

    private static JournalLapseFactsGrpc.JournalLapseFactsBlockingStub lapses(String caller) {
        return JournalLapseFactsGrpc.newBlockingStub(journal.channel()).withCallCredentials(service(caller));
    }

    private static JournalMilestoneFactsGrpc.JournalMilestoneFactsBlockingStub milestones(String caller) {
        return JournalMilestoneFactsGrpc.newBlockingStub(journal.channel()).withCallCredentials(service(caller));
    }

    private static SharedCheckIn checkIn(String caller, String checkInId) {
        return checkIns(caller).getSharedCheckIn(GetSharedCheckInRequest.newBuilder().setCheckInId(checkInId).build());
    }

    private static String record(Pair pair, Visibility visibility) {
        return calls.record(pair.alex(), RecordCheckInRequest.newBuilder().setCoupleId(pair.coupleId()).setMood(2).setCravingIntensity(8)
                .setNote("words of mine").addBoundariesKept(BOUNDARY_KEPT).addBoundariesCrossed(BOUNDARY_CROSSED).setVisibility(visibility));
    }

    private static void assertStatus(ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }

    private static void assertFields(ThrowingCallable call, String... fields) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(FieldViolations.fieldsOf(e)).containsExactly(fields);
        });
    }

    @Test
    void aSharedCheckInIsToldToPlansAndNotificationsWhileItStaysShared() {
        Pair pair = calls.couple();
        String shared = record(pair, Visibility.SHARED_WITH_PARTNER);
        SharedCheckIn expected = SharedCheckIn.newBuilder().setMood(2).setCravingIntensity(8)
                .addBoundariesKept(BOUNDARY_KEPT).addBoundariesCrossed(BOUNDARY_CROSSED).build();
        assertThat(checkIn("plans-service", shared)).isEqualTo(expected);
        assertThat(checkIn("notifications-service", shared)).isEqualTo(expected);
        assertStatus(() -> checkIn("care-service", shared), Status.Code.PERMISSION_DENIED);
        assertStatus(() -> checkIns("plans-service").withCallCredentials(journal.asPartner(pair.sam()))
                .getSharedCheckIn(GetSharedCheckInRequest.newBuilder().setCheckInId(shared).build()), Status.Code.PERMISSION_DENIED);

        String secret = record(pair, Visibility.PRIVATE);
        assertStatus(() -> checkIn("plans-service", secret), Status.Code.NOT_FOUND);
        assertStatus(() -> checkIn("plans-service", UUID.randomUUID().toString()), Status.Code.NOT_FOUND);

        // made private by amending: no longer told, as it stands now
        calls.entries.withCallCredentials(as(pair.alex())).amendCheckIn(AmendCheckInRequest.newBuilder().setIdempotencyKey(key())
                .setEntryId(shared).setExpectedVersion(1).setMood(3).setCravingIntensity(2).setVisibility(Visibility.PRIVATE).build());
        assertStatus(() -> checkIn("notifications-service", shared), Status.Code.NOT_FOUND);

        String retracted = record(pair, Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR);
        assertThat(checkIn("plans-service", retracted).getCravingIntensity()).isEqualTo(8);
        calls.entries.withCallCredentials(as(pair.alex())).retractEntry(RetractEntryRequest.newBuilder().setIdempotencyKey(key())
                .setEntryId(retracted).build());
        assertStatus(() -> checkIn("plans-service", retracted), Status.Code.NOT_FOUND);

        assertFields(() -> checkIn("plans-service", "not an id"), "check_in_id");
    }

    @Test
    void aDisclosedLapseIsToldToPlansAndCare() {
        Pair pair = calls.couple();
        String lapse = calls.progress.withCallCredentials(as(pair.alex())).discloseLapse(DiscloseLapseRequest.newBuilder()
                .setIdempotencyKey(key()).setCoupleId(pair.coupleId())
                .setUse(UseDetails.newBuilder().addSubstances(Substance.OPIOIDS).setNaloxoneAtHand(true)).build()).getLapseId();
        GetDisclosedLapseRequest asked = GetDisclosedLapseRequest.newBuilder().setLapseId(lapse).build();
        DisclosedLapse expected = DisclosedLapse.newBuilder().addSubstances(Substance.OPIOIDS).setNaloxoneAtHand(true).build();
        assertThat(lapses("plans-service").getDisclosedLapse(asked)).isEqualTo(expected);
        assertThat(lapses("care-service").getDisclosedLapse(asked)).isEqualTo(expected);
        assertStatus(() -> lapses("notifications-service").getDisclosedLapse(asked), Status.Code.PERMISSION_DENIED);
        assertStatus(() -> lapses("plans-service").getDisclosedLapse(GetDisclosedLapseRequest.newBuilder()
                .setLapseId(UUID.randomUUID().toString()).build()), Status.Code.NOT_FOUND);
        assertFields(() -> lapses("care-service").getDisclosedLapse(GetDisclosedLapseRequest.getDefaultInstance()), "lapse_id");
    }

    @Test
    void aMilestoneIsToldToNotificationsAndCareAsItWasReached() {
        Pair pair = calls.couple();
        calls.progress.withCallCredentials(as(pair.alex())).setGoal(SetGoalRequest.newBuilder().setIdempotencyKey(key())
                .setKind(GoalKind.ABSTINENCE).setShareProgressWithPartner(true).build());
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        record(pair, Visibility.PRIVATE); // a day without use: the first milestone comes with the next check-in
        MilestoneReached reached = PublishedEvents.first(pair.coupleId(), MilestoneReached.class);
        GetMilestoneRequest asked = GetMilestoneRequest.newBuilder().setPersonId(pair.alex()).setMilestoneId(reached.getMilestoneId()).build();
        MilestoneFacts expected = MilestoneFacts.newBuilder().setDays(1).setGoalKind(GoalKind.ABSTINENCE).build();
        assertThat(milestones("notifications-service").getMilestone(asked)).isEqualTo(expected);
        assertThat(milestones("care-service").getMilestone(asked)).isEqualTo(expected);
        assertStatus(() -> milestones("plans-service").getMilestone(asked), Status.Code.PERMISSION_DENIED);
        assertStatus(() -> milestones("care-service").getMilestone(asked.toBuilder().setPersonId(pair.sam()).build()), Status.Code.NOT_FOUND);
        assertStatus(() -> milestones("care-service").getMilestone(asked.toBuilder().setMilestoneId(UUID.randomUUID().toString()).build()),
                Status.Code.NOT_FOUND);
        assertFields(() -> milestones("care-service").getMilestone(GetMilestoneRequest.getDefaultInstance()), "person_id", "milestone_id");
    }
}
