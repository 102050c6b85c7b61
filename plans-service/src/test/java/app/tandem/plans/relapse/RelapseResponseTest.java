package app.tandem.plans.relapse;

import app.tandem.plans.relapse.RelapseCommands.CompleteTask;
import app.tandem.plans.relapse.RelapseCommands.EndReason;
import app.tandem.plans.relapse.RelapseCommands.EndRelapseResponse;
import app.tandem.plans.relapse.RelapseCommands.ReachFollowUp;
import app.tandem.plans.relapse.RelapseCommands.StartRelapseResponse;
import app.tandem.plans.relapse.RelapseEvents.FollowUpReached;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseEnded;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseStarted;
import app.tandem.plans.relapse.RelapseEvents.TaskCompleted;
import app.tandem.plans.safetyplan.PlanSection.Role;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RelapseResponseTest {

    private static final Instant DISCLOSED = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant WEEK = DISCLOSED.plus(Duration.ofDays(7));
    private static final Instant MONTH = DISCLOSED.plus(Duration.ofDays(30));
    private static final List<PlannedStep> STEPS = List.of(
            new PlannedStep("alex", Role.IF_I_LAPSE, Timeframe.IMMEDIATELY, "pdc1:call-my-sponsor"),
            new PlannedStep("sam", Role.IF_MY_PARTNER_LAPSES, Timeframe.IMMEDIATELY, "pdc1:stay-calm"),
            new PlannedStep("sam", Role.IF_MY_PARTNER_LAPSES, Timeframe.FIRST_WEEK, "pdc1:book-couples-session"),
            new PlannedStep("alex", Role.IF_I_LAPSE, Timeframe.FIRST_MONTH, "pdc1:review-triggers"));

    private AggregateTestFixture<RelapseResponse> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(RelapseResponse.class);
    }

    private static RelapseResponseStarted started() {
        return new RelapseResponseStarted("l1", "c1", "alex", "sam", DISCLOSED, true, 3, STEPS,
                RelapseResponse.tasksFor(Timeframe.IMMEDIATELY, "alex", "sam", STEPS), WEEK, MONTH);
    }

    private static FollowUpReached reached(Timeframe stage, Instant at) {
        return new FollowUpReached("l1", "c1", "alex", "sam", stage, RelapseResponse.tasksFor(stage, "alex", "sam", STEPS), at);
    }

    @Test
    void aLapseStartsWithTheAgreedPlansImmediateStepsForBothPartners() {
        fixture.givenNoPriorActivity()
                .when(new StartRelapseResponse("l1", "c1", "alex", "sam", DISCLOSED, true, 3, STEPS))
                .expectEvents(started())
                .expectState(response -> {
                    assertThat(response.task("immediately-1").kind()).isEqualTo(RelapseTask.Kind.CHECK_SAFETY);
                    assertThat(response.task("immediately-1").personId()).isEqualTo("alex");
                    assertThat(response.task("immediately-2").kind()).isEqualTo(RelapseTask.Kind.RESPOND_WITH_CARE);
                    assertThat(response.task("immediately-2").personId()).isEqualTo("sam");
                    assertThat(response.task("immediately-3").encryptedText()).isEqualTo("pdc1:call-my-sponsor");
                    assertThat(response.task("immediately-4").encryptedText()).isEqualTo("pdc1:stay-calm");
                    assertThat(response.task("immediately-5")).isNull();
                });
    }

    @Test
    void theFirstWeekGivesTalkingItThroughAndProfessionalHelpToEachPartner() {
        List<RelapseTask> tasks = RelapseResponse.tasksFor(Timeframe.FIRST_WEEK, "alex", "sam", STEPS);
        assertThat(tasks).extracting(RelapseTask::personId, RelapseTask::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("alex", RelapseTask.Kind.TALK_IT_THROUGH),
                org.assertj.core.groups.Tuple.tuple("alex", RelapseTask.Kind.SEEK_PROFESSIONAL_HELP),
                org.assertj.core.groups.Tuple.tuple("sam", RelapseTask.Kind.TALK_IT_THROUGH),
                org.assertj.core.groups.Tuple.tuple("sam", RelapseTask.Kind.SEEK_PROFESSIONAL_HELP),
                org.assertj.core.groups.Tuple.tuple("sam", RelapseTask.Kind.PLAN_STEP));
        fixture.given(started())
                .when(new ReachFollowUp("l1", Timeframe.FIRST_WEEK, WEEK))
                .expectEvents(reached(Timeframe.FIRST_WEEK, WEEK));
    }

    @Test
    void aFollowUpAnnouncedAgainIsGivenOnlyOnce() {
        fixture.given(started(), reached(Timeframe.FIRST_WEEK, WEEK))
                .when(new ReachFollowUp("l1", Timeframe.FIRST_WEEK, WEEK.plusSeconds(5)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aLateMonthGivesTheWeekFirst() {
        fixture.given(started())
                .when(new ReachFollowUp("l1", Timeframe.FIRST_MONTH, MONTH))
                .expectEvents(reached(Timeframe.FIRST_WEEK, MONTH), reached(Timeframe.FIRST_MONTH, MONTH));
    }

    @Test
    void onlyTheTasksOwnerMarksItDone() {
        fixture.given(started())
                .when(new CompleteTask("l1", "immediately-2", "alex", WEEK))
                .expectException(AccessDenied.class)
                .expectNoEvents();
        fixture.given(started())
                .when(new CompleteTask("l1", "immediately-2", "sam", WEEK))
                .expectEvents(new TaskCompleted("l1", "c1", "immediately-2", "sam", WEEK));
        fixture.given(started(), new TaskCompleted("l1", "c1", "immediately-2", "sam", WEEK))
                .when(new CompleteTask("l1", "immediately-2", "sam", WEEK))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void theResponseCompletesWhenEveryTaskIsDoneAfterThePlanReview() {
        List<Object> history = new java.util.ArrayList<>(List.of(started(), reached(Timeframe.FIRST_WEEK, WEEK),
                reached(Timeframe.FIRST_MONTH, MONTH)));
        List<String> all = new java.util.ArrayList<>();
        for (Timeframe stage : Timeframe.values()) {
            RelapseResponse.tasksFor(stage, "alex", "sam", STEPS).forEach(t -> all.add(t.taskId() + "/" + t.personId()));
        }
        String last = all.remove(all.size() - 1);
        for (String task : all) {
            String[] parts = task.split("/");
            history.add(new TaskCompleted("l1", "c1", parts[0], parts[1], MONTH));
        }
        String[] lastParts = last.split("/");
        fixture.given(history)
                .when(new CompleteTask("l1", lastParts[0], lastParts[1], MONTH))
                .expectEvents(new TaskCompleted("l1", "c1", lastParts[0], lastParts[1], MONTH),
                        new RelapseResponseEnded("l1", "c1", EndReason.COMPLETED, MONTH));
    }

    @Test
    void aDissolvedCoupleEndsTheResponseAndNothingMoreIsPrompted() {
        fixture.given(started())
                .when(new EndRelapseResponse("l1", EndReason.COUPLE_DISSOLVED, WEEK))
                .expectEvents(new RelapseResponseEnded("l1", "c1", EndReason.COUPLE_DISSOLVED, WEEK));
        fixture.given(started(), new RelapseResponseEnded("l1", "c1", EndReason.COUPLE_DISSOLVED, WEEK))
                .when(new ReachFollowUp("l1", Timeframe.FIRST_WEEK, WEEK))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(started(), new RelapseResponseEnded("l1", "c1", EndReason.COUPLE_DISSOLVED, WEEK))
                .when(new EndRelapseResponse("l1", EndReason.COUPLE_DISSOLVED, WEEK))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(started(), new RelapseResponseEnded("l1", "c1", EndReason.COUPLE_DISSOLVED, WEEK))
                .when(new CompleteTask("l1", "immediately-1", "alex", WEEK))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }
}
