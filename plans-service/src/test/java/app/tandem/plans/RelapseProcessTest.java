package app.tandem.plans;

import app.tandem.api.v1.AcknowledgeSafetyPlanRequest;
import app.tandem.api.v1.CompleteRelapseResponseTaskRequest;
import app.tandem.api.v1.DiscloseLapseRequest;
import app.tandem.api.v1.EditSafetyPlanSectionRequest;
import app.tandem.api.v1.ListRelapseResponseTasksRequest;
import app.tandem.api.v1.RelapseResponseStep;
import app.tandem.api.v1.RelapseResponseTask;
import app.tandem.api.v1.RelapseRole;
import app.tandem.api.v1.RelapseTaskKind;
import app.tandem.api.v1.RelapseTimeframe;
import app.tandem.api.v1.SafetyPlanSection;
import app.tandem.api.v1.Substance;
import app.tandem.api.v1.UseDetails;
import app.tandem.events.v1.CoupleDissolved;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.events.v1.LapseDisclosed;
import app.tandem.events.v1.RelapseResponseStarted;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static app.tandem.plans.PlansTestSupport.as;
import static app.tandem.plans.PlansTestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The relapse response on the embedded stack with a clock the test moves: lapses arrive through Kafka as the
 * journal publishes them, follow-ups come due on the service's clock, and plans-service is restarted between
 * the steps.
 */
@ExtendWith(PlansTestSupport.RealJournal.Started.class)
class RelapseProcessTest {

    private static final String STARTED = "RelapseResponseStarted";
    private static final String REACHED = "FollowUpReached";
    private static final String ENDED = "RelapseResponseEnded";

    private PlansTestSupport.TestClock clock;
    private Map<String, Object> properties;
    private PlansTestSupport.Plans plans;
    private PlansTestSupport.Journal journal;
    private String alex;
    private String sam;
    private String coupleId;

    @BeforeEach
    void start() {
        clock = new PlansTestSupport.TestClock(Instant.now());
        properties = PlansTestSupport.properties();
        plans = PlansTestSupport.Plans.start(properties, clock);
        journal = new PlansTestSupport.Journal();
        alex = "alex-" + key();
        sam = "sam-" + key();
        coupleId = journal.couple(alex, sam, clock.instant());
        plans.awaitCouple(coupleId, 2);
    }

    @AfterEach
    void stop() {
        journal.close();
        if (plans != null) {
            plans.close();
        }
    }

    private void restart() {
        plans.close();
        plans = PlansTestSupport.Plans.start(properties, clock);
    }

    private EventEnvelope lapse(String lapseId) {
        // ids only, as the journal publishes it; this lapse is the test's own, so the journal gives no facts of it
        return journal.publish(coupleId, alex, LapseDisclosed.newBuilder().setLapseId(lapseId).setCoupleId(coupleId)
                .setPersonId(alex).setPartnerPersonId(sam).setOccurredAt(Timestamps.of(clock.instant().minusSeconds(3600))).build(),
                clock.instant());
    }

    private List<RelapseResponseTask> tasks(String person) {
        return plans.stub().withCallCredentials(as(person)).listRelapseResponseTasks(ListRelapseResponseTasksRequest.newBuilder().setCoupleId(coupleId).build()).getTasksList();
    }

    private void awaitStored(String lapseId, String... types) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(plans.storedEventsOf(lapseId)).containsExactly(types));
    }

    /** Lets the scheduler poll several times, then checks nothing more happened. */
    private void staysAt(String lapseId, String... types) throws InterruptedException {
        Thread.sleep(1000);
        assertThat(plans.storedEventsOf(lapseId)).containsExactly(types);
    }

    private void agreePlan() {
        plans.stub().withCallCredentials(as(alex)).editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId).setSection(SafetyPlanSection.newBuilder()
                        .addRelapseResponse(step(RelapseTimeframe.RELAPSE_IMMEDIATELY, RelapseRole.RELAPSE_ROLE_IF_I_LAPSE, "Tell Sam, call Jordan"))
                        .addRelapseResponse(step(RelapseTimeframe.RELAPSE_FIRST_MONTH, RelapseRole.RELAPSE_ROLE_IF_I_LAPSE, "Go back to Tuesday group"))
                        .addRelapseResponse(step(RelapseTimeframe.RELAPSE_IMMEDIATELY, RelapseRole.RELAPSE_ROLE_IF_MY_PARTNER_LAPSES, "Not for this lapse"))
                        .build()).build());
        plans.stub().withCallCredentials(as(sam)).editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId).setSection(SafetyPlanSection.newBuilder()
                        .addRelapseResponse(step(RelapseTimeframe.RELAPSE_IMMEDIATELY, RelapseRole.RELAPSE_ROLE_IF_MY_PARTNER_LAPSES, "Stay calm, check the naloxone"))
                        .addRelapseResponse(step(RelapseTimeframe.RELAPSE_FIRST_WEEK, RelapseRole.RELAPSE_ROLE_IF_MY_PARTNER_LAPSES, "Book a couples session"))
                        .build()).build());
        for (String person : List.of(alex, sam)) {
            plans.stub().withCallCredentials(as(person)).acknowledgeSafetyPlan(AcknowledgeSafetyPlanRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId).setVersion(1).build());
        }
    }

    private static RelapseResponseStep step(RelapseTimeframe timeframe, RelapseRole role, String text) {
        return RelapseResponseStep.newBuilder().setTimeframe(timeframe).setRole(role).setText(text).build();
    }

    @Test
    void oneLapseGivesTheImmediateSevenDayAndThirtyDayStepsExactlyOnceEach() throws Exception {
        agreePlan();
        String lapseId = key();
        EventEnvelope disclosed = lapse(lapseId);
        awaitStored(lapseId, STARTED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(tasks(alex)).extracting(RelapseResponseTask::getKind, RelapseResponseTask::getText).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(RelapseTaskKind.TASK_CHECK_SAFETY, ""),
                    org.assertj.core.groups.Tuple.tuple(RelapseTaskKind.TASK_PLAN_STEP, "Tell Sam, call Jordan"));
            assertThat(tasks(sam)).extracting(RelapseResponseTask::getKind, RelapseResponseTask::getText).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(RelapseTaskKind.TASK_RESPOND_WITH_CARE, ""),
                    org.assertj.core.groups.Tuple.tuple(RelapseTaskKind.TASK_PLAN_STEP, "Stay calm, check the naloxone"));
        });
        journal.republish(disclosed); // the journal's relay sent it again after a crash

        clock.advance(Duration.ofDays(6));
        staysAt(lapseId, STARTED);
        clock.advance(Duration.ofDays(1));
        awaitStored(lapseId, STARTED, REACHED);
        staysAt(lapseId, STARTED, REACHED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tasks(sam)).extracting(RelapseResponseTask::getKind)
                .contains(RelapseTaskKind.TASK_TALK_IT_THROUGH, RelapseTaskKind.TASK_SEEK_PROFESSIONAL_HELP));
        assertThat(tasks(sam)).extracting(RelapseResponseTask::getText).contains("Book a couples session");

        clock.advance(Duration.ofDays(23));
        awaitStored(lapseId, STARTED, REACHED, REACHED);
        staysAt(lapseId, STARTED, REACHED, REACHED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tasks(alex)).extracting(RelapseResponseTask::getText)
                .contains("Go back to Tuesday group"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(PlansTestSupport.publishedTypes(coupleId))
                .containsEntry("RelapseResponseStarted", 1L)
                .containsEntry("RelapseFirstWeekFollowUpDue", 1L)
                .containsEntry("RelapsePlanReviewDue", 1L));
        RelapseResponseStarted started = PlansTestSupport.publishedFor(coupleId).values().stream()
                .filter(e -> e.getPayload().is(RelapseResponseStarted.class)).findFirst().orElseThrow()
                .getPayload().unpack(RelapseResponseStarted.class);
        assertThat(started.getUrgent()).as("facts the journal does not give never make a lapse look safer").isTrue();
        assertThat(started.getPlanVersion()).isEqualTo(1);
        assertThat(started.getSupportingPersonId()).isEqualTo(sam);
        assertThat(started.toByteString().toStringUtf8()).doesNotContain("naloxone");
    }

    @Test
    void urgencyIsDecidedOnTheFactsTheJournalGives() throws Exception {
        PlansTestSupport.RealJournal real = PlansTestSupport.RealJournal.shared();
        String robin = "robin-" + key();
        String kim = "kim-" + key();
        String couple = real.couple(robin, kim);
        plans.awaitCouple(couple, 2);
        Map<String, Boolean> expected = Map.of(
                disclose(real, robin, couple, UseDetails.newBuilder().addSubstances(Substance.OPIOIDS).setNaloxoneAtHand(true)), false,
                disclose(real, robin, couple, UseDetails.newBuilder().addSubstances(Substance.ALCOHOL)), false,
                disclose(real, robin, couple, UseDetails.newBuilder().addSubstances(Substance.ALCOHOL).setUsedAlone(true)), true,
                disclose(real, robin, couple, UseDetails.newBuilder().addSubstances(Substance.OPIOIDS)), true);
        expected.keySet().forEach(lapseId -> awaitStored(lapseId, STARTED));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Boolean> urgent = new java.util.HashMap<>();
            for (EventEnvelope envelope : PlansTestSupport.publishedFor(couple).values()) {
                if (envelope.getPayload().is(RelapseResponseStarted.class)) {
                    RelapseResponseStarted started = envelope.getPayload().unpack(RelapseResponseStarted.class);
                    urgent.put(started.getLapseId(), started.getUrgent());
                }
            }
            assertThat(urgent).isEqualTo(expected);
        });
    }

    private static String disclose(PlansTestSupport.RealJournal real, String person, String couple, UseDetails.Builder use) {
        return real.as(person).discloseLapse(DiscloseLapseRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(couple)
                .setUse(use).build()).getLapseId();
    }

    @Test
    void restartsBetweenTheStepsLoseNothingAndRepeatNothingForOverlappingLapses() throws Exception {
        String first = key();
        lapse(first);
        awaitStored(first, STARTED);

        plans.close();
        plans = null;
        clock.advance(Duration.ofDays(8));
        String second = key();
        lapse(second); // disclosed while plans-service is down
        plans = PlansTestSupport.Plans.start(properties, clock);
        awaitStored(first, STARTED, REACHED);
        awaitStored(second, STARTED);
        staysAt(first, STARTED, REACHED);

        restart();
        staysAt(first, STARTED, REACHED);
        staysAt(second, STARTED);

        plans.close();
        plans = null;
        clock.advance(Duration.ofDays(23)); // day 31: the first lapse's month and the second's week are due
        plans = PlansTestSupport.Plans.start(properties, clock);
        awaitStored(first, STARTED, REACHED, REACHED);
        awaitStored(second, STARTED, REACHED);

        restart();
        clock.advance(Duration.ofDays(8)); // day 39: the second lapse's month
        awaitStored(second, STARTED, REACHED, REACHED);
        staysAt(first, STARTED, REACHED, REACHED);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(PlansTestSupport.publishedTypes(coupleId))
                .containsEntry("RelapseResponseStarted", 2L)
                .containsEntry("RelapseFirstWeekFollowUpDue", 2L)
                .containsEntry("RelapsePlanReviewDue", 2L));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tasks(sam))
                .filteredOn(t -> t.getKind() == RelapseTaskKind.TASK_REVIEW_THE_PLAN).extracting(RelapseResponseTask::getLapseId)
                .containsExactlyInAnyOrder(first, second));
    }

    @Test
    void eachPartnerCompletesTheirOwnTasksOnly() {
        String lapseId = key();
        lapse(lapseId);
        await().atMost(Duration.ofSeconds(20)).until(() -> tasks(sam).size() == 1);
        RelapseResponseTask samsTask = tasks(sam).get(0);
        assertThatThrownBy(() -> complete(alex, samsTask))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThat(complete(sam, samsTask).getDone()).isTrue();
        assertThat(complete(sam, samsTask).getDone()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> tasks(sam).isEmpty());
        assertThat(tasks(alex)).hasSize(1);
        assertThat(plans.storedEventsOf(lapseId)).containsExactly(STARTED, "TaskCompleted");
    }

    private RelapseResponseTask complete(String person, RelapseResponseTask task) {
        return plans.stub().withCallCredentials(as(person)).completeRelapseResponseTask(CompleteRelapseResponseTaskRequest.newBuilder().setIdempotencyKey(key()).setLapseId(task.getLapseId())
                        .setTaskId(task.getTaskId()).build());
    }

    @Test
    void aDissolvedCoupleEndsEveryResponseCleanlyAndNothingMoreIsPrompted() throws Exception {
        String first = key();
        String second = key();
        lapse(first);
        lapse(second);
        awaitStored(first, STARTED);
        awaitStored(second, STARTED);
        journal.publish(coupleId, sam, CoupleDissolved.newBuilder().setCoupleId(coupleId).setRemainingPersonId(sam).build(), clock.instant());
        awaitStored(first, STARTED, ENDED);
        awaitStored(second, STARTED, ENDED);

        clock.advance(Duration.ofDays(31));
        staysAt(first, STARTED, ENDED);
        staysAt(second, STARTED, ENDED);
        String late = key();
        lapse(late);
        Thread.sleep(1000);
        assertThat(plans.storedEventsOf(late)).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(PlansTestSupport.publishedTypes(coupleId))
                .containsEntry("RelapseResponseEnded", 2L)
                .doesNotContainKey("RelapseFirstWeekFollowUpDue"));
    }
}
