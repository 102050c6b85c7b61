package app.tandem.devstack;

import app.tandem.api.v1.AgreedStep;
import app.tandem.api.v1.AnswerConversationRequest;
import app.tandem.api.v1.AnswerSharedGoalRequest;
import app.tandem.api.v1.CompleteConversationStepRequest;
import app.tandem.api.v1.ConversationAnswer;
import app.tandem.api.v1.ConversationPreparation;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.GetWeekTogetherRequest;
import app.tandem.api.v1.GoalInWeek;
import app.tandem.api.v1.InviteToConversationRequest;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.ListSharedGoalsRequest;
import app.tandem.api.v1.ListVictoriesRequest;
import app.tandem.api.v1.ListVictoriesResponse;
import app.tandem.api.v1.MarkSharedGoalDoneRequest;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationKind;
import app.tandem.api.v1.PrepareConversationRequest;
import app.tandem.api.v1.ProposeSharedGoalRequest;
import app.tandem.api.v1.RecordAgreedStepsRequest;
import app.tandem.api.v1.RecordVictoryRequest;
import app.tandem.api.v1.RetireSharedGoalRequest;
import app.tandem.api.v1.SharedGoalAnswer;
import app.tandem.api.v1.SharedGoalKind;
import app.tandem.api.v1.SharedGoalStage;
import app.tandem.api.v1.StepInWeek;
import app.tandem.api.v1.StepOwner;
import app.tandem.api.v1.StepStatus;
import app.tandem.api.v1.VictoryInWeek;
import app.tandem.api.v1.VictoryKind;
import app.tandem.api.v1.VictoryTally;
import app.tandem.api.v1.Visibility;
import app.tandem.api.v1.WeekTogether;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A month of a couple, through the gateway on the moved clock, as each partner sees it: two goals set together and done
 * in some weeks, victories shared, the steps agreed in a talk coming due, done and overdue, a gentle prompt after each
 * of the four weeks that lock screens can show, and the week view and the victories counted after each.
 */
@ExtendWith(EmbeddedTandem.class)
class WeeksTogetherEndToEndTest {

    /** A week's prompt goes through the timer, the relay, Kafka and the inbox, behind whatever the moved clock woke. */
    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    private static TandemUnderTest tandem;

    @BeforeAll
    static void start() {
        tandem = EmbeddedTandem.get();
    }

    private Instant monday;
    private GatewayClient alex;
    private GatewayClient sam;
    private String couple;

    /** Moves the clock to day {@code day} of the month, 09:00 UTC (day 0 a Monday). */
    private void day(int day) {
        tandem.clock.advanceTo(monday.plus(Duration.ofDays(day)).plus(Duration.ofHours(9)));
    }

    /** After the {@code week}th Monday has come: each partner has been prompted once a week, no more. */
    private void weekEnded(int week) {
        await().atMost(ARRIVAL).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (GatewayClient partner : List.of(alex, sam)) {
                assertThat(weekPrompts(partner.notifications().listNotifications(ListNotificationsRequest.getDefaultInstance())
                        .getNotificationsList())).hasSize(week);
            }
        });
    }

    private static List<Notification> weekPrompts(List<Notification> notifications) {
        return notifications.stream().filter(n -> n.getKind() == NotificationKind.WEEK_TOGETHER).toList();
    }

    private WeekTogether week(GatewayClient person, int week) {
        return person.plans().getWeekTogether(GetWeekTogetherRequest.newBuilder().setCoupleId(couple)
                .setWeekOf(Timestamps.of(monday.plus(Duration.ofDays(7L * (week - 1) + 3)))).build());
    }

    /** Who did each goal in the week, by goal id. */
    private static Map<String, List<String>> doneBy(WeekTogether week) {
        return week.getGoalsList().stream().collect(Collectors.toMap(GoalInWeek::getGoalId, g -> List.copyOf(g.getDoneByPersonIdsList())));
    }

    private static Map<String, StepStatus> steps(WeekTogether week) {
        return week.getStepsList().stream().collect(Collectors.toMap(s -> s.getStep().getText(), StepInWeek::getStatus));
    }

    private void mark(GatewayClient person, String goalId) {
        person.plans().markSharedGoalDone(MarkSharedGoalDoneRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setGoalId(goalId).build());
    }

    private void share(GatewayClient person, VictoryKind kind) {
        person.plans().recordVictory(RecordVictoryRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(couple)
                .setKind(kind).setVisibility(Visibility.SHARED_WITH_PARTNER).build());
    }

    private String agreedGoal(GatewayClient proposer, GatewayClient partner, SharedGoalKind kind, String title) {
        String goal = proposer.plans().proposeSharedGoal(ProposeSharedGoalRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setCoupleId(couple).setKind(kind).setTitle(title).build()).getGoalId();
        partner.plans().answerSharedGoal(AnswerSharedGoalRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setGoalId(goal)
                .setAnswer(SharedGoalAnswer.SHARED_GOAL_AGREE).build());
        return goal;
    }

    @Test
    void aCoupleLivesAMonthOfWeeksTogether() throws InterruptedException {
        monday = tandem.clock.instant().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS)
                .with(TemporalAdjusters.next(DayOfWeek.MONDAY)).toInstant();
        day(0);
        alex = tandem.person("alex");
        sam = tandem.person("sam");
        CreateCoupleResponse created = alex.createCouple();
        sam.join(created.getInviteCode());
        couple = created.getCoupleId();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                sam.plans().listSharedGoals(ListSharedGoalsRequest.newBuilder().setCoupleId(couple).build()) != null);

        // week 1: two goals set together, a talk and its steps, the first marks and victories
        String walk = agreedGoal(alex, sam, SharedGoalKind.SHARED_GOAL_ACTIVITY_TOGETHER, "Sunday walk by the river");
        String swim = agreedGoal(sam, alex, SharedGoalKind.SHARED_GOAL_HEALTH_HABIT, "Swim on Thursdays");
        String talk = alex.plans().prepareConversation(PrepareConversationRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setCoupleId(couple).setPreparation(ConversationPreparation.newBuilder().addPoints("How we spend evenings")).build())
                .getConversationId();
        alex.plans().inviteToConversation(InviteToConversationRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setConversationId(talk).setProposedTime(Timestamps.of(tandem.clock.instant().plus(Duration.ofHours(1)))).build());
        sam.plans().answerConversation(AnswerConversationRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setConversationId(talk).setAnswer(ConversationAnswer.CONVERSATION_ACCEPT).build());
        tandem.clock.advance(Duration.ofHours(2));
        alex.plans().recordAgreedSteps(RecordAgreedStepsRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setConversationId(talk)
                .addSteps(AgreedStep.newBuilder().setText("Call the counsellor").setOwner(StepOwner.STEP_OWNER_MY_PARTNER)
                        .setDueAt(Timestamps.of(monday.plus(Duration.ofDays(4)))))
                .addSteps(AgreedStep.newBuilder().setText("Plan a weekend away").setOwner(StepOwner.STEP_OWNER_ME)
                        .setDueAt(Timestamps.of(monday.plus(Duration.ofDays(16))))).build());
        day(2);
        mark(alex, walk);
        mark(sam, walk);
        mark(sam, swim);
        mark(sam, swim); // a second tap counts once
        share(sam, VictoryKind.VICTORY_MEETING_ATTENDED);
        alex.plans().recordVictory(RecordVictoryRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(couple)
                .setKind(VictoryKind.VICTORY_CRAVING_RIDDEN_OUT).setVisibility(Visibility.PRIVATE).build());
        day(3);
        sam.plans().completeConversationStep(CompleteConversationStepRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setConversationId(talk).setStepId("step-1").build());
        assertThat(weekPrompts(alex.notifications().listNotifications(ListNotificationsRequest.getDefaultInstance())
                .getNotificationsList())).as("nothing before the week has ended").isEmpty();

        // week 2: one swim, two victories
        day(7);
        weekEnded(1);
        mark(alex, swim);
        share(alex, VictoryKind.VICTORY_CRAVING_RIDDEN_OUT);
        share(sam, VictoryKind.VICTORY_SOMETHING_TOGETHER);

        // week 3: nothing done; the weekend away comes due on Wednesday, then is overdue; the swim is retired
        day(14);
        weekEnded(2);
        alex.plans().retireSharedGoal(RetireSharedGoalRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setGoalId(swim).build());
        assertThat(steps(week(alex, 3))).containsExactly(Map.entry("Plan a weekend away", StepStatus.STEP_DUE));
        day(17);
        assertThat(steps(week(sam, 3))).as("the partner sees it too").containsExactly(Map.entry("Plan a weekend away", StepStatus.STEP_OVERDUE));

        // week 4: the walk by both, the weekend away planned late, the retired swim no longer done
        day(21);
        weekEnded(3);
        mark(alex, walk);
        mark(sam, walk);
        alex.plans().completeConversationStep(CompleteConversationStepRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setConversationId(talk).setStepId("step-2").build());
        assertThatThrownBy(() -> mark(sam, swim)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));

        day(29);
        weekEnded(4);

        // each week as both partners see it
        for (GatewayClient person : List.of(alex, sam)) {
            WeekTogether first = week(person, 1);
            assertThat(doneBy(first)).containsOnly(Map.entry(walk, List.of(alex.personId, sam.personId)), Map.entry(swim, List.of(sam.personId)));
            assertThat(first.getGoalsList()).extracting(GoalInWeek::getTitle).containsExactlyInAnyOrder("Sunday walk by the river", "Swim on Thursdays");
            assertThat(first.getSharedVictoriesList()).extracting(VictoryInWeek::getPersonId, VictoryInWeek::getKind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(sam.personId, VictoryKind.VICTORY_MEETING_ATTENDED));
            assertThat(steps(first)).containsExactly(Map.entry("Call the counsellor", StepStatus.STEP_DONE));

            WeekTogether second = week(person, 2);
            assertThat(doneBy(second)).containsOnly(Map.entry(walk, List.of()), Map.entry(swim, List.of(alex.personId)));
            assertThat(second.getSharedVictoriesList()).extracting(VictoryInWeek::getKind)
                    .containsExactlyInAnyOrder(VictoryKind.VICTORY_CRAVING_RIDDEN_OUT, VictoryKind.VICTORY_SOMETHING_TOGETHER);
            assertThat(second.getStepsList()).isEmpty();

            WeekTogether third = week(person, 3);
            assertThat(doneBy(third)).as("the swim was retired during the week").containsOnly(Map.entry(walk, List.of()), Map.entry(swim, List.of()));
            assertThat(third.getSharedVictoriesList()).isEmpty();
            assertThat(steps(third)).as("done later, in week 4").isEmpty();

            WeekTogether fourth = week(person, 4);
            assertThat(doneBy(fourth)).containsOnly(Map.entry(walk, List.of(alex.personId, sam.personId)));
            assertThat(steps(fourth)).containsExactly(Map.entry("Plan a weekend away", StepStatus.STEP_DONE));

            // the running total: shared victories by person and kind; the private one never counts
            assertThat(fourth.getVictoryTotalsList()).extracting(VictoryTally::getPersonId, VictoryTally::getKind, VictoryTally::getCount)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(sam.personId, VictoryKind.VICTORY_MEETING_ATTENDED, 1),
                            org.assertj.core.groups.Tuple.tuple(sam.personId, VictoryKind.VICTORY_SOMETHING_TOGETHER, 1),
                            org.assertj.core.groups.Tuple.tuple(alex.personId, VictoryKind.VICTORY_CRAVING_RIDDEN_OUT, 1));
        }
        ListVictoriesResponse alexsVictories = alex.plans().listVictories(ListVictoriesRequest.newBuilder().setCoupleId(couple).build());
        assertThat(alexsVictories.getSharedByMe()).isEqualTo(1);
        assertThat(alexsVictories.getSharedByPartner()).isEqualTo(2);
        assertThat(sam.plans().listSharedGoals(ListSharedGoalsRequest.newBuilder().setCoupleId(couple).build()).getGoalsList())
                .extracting(g -> g.getStage()).containsExactlyInAnyOrder(SharedGoalStage.SHARED_GOAL_AGREED, SharedGoalStage.SHARED_GOAL_RETIRED);

        // the four prompts on each partner's stream: gentle, and nothing of what was done or how much
        for (GatewayClient person : List.of(alex, sam)) {
            List<Notification> streamed = new ArrayList<>();
            try (NotificationWatch stream = person.watch("")) {
                Notification next;
                while (weekPrompts(streamed).size() < 4 && (next = stream.next(Duration.ofSeconds(10))) != null) {
                    streamed.add(next);
                }
            }
            assertThat(weekPrompts(streamed)).hasSize(4).allSatisfy(prompt -> {
                assertThat(prompt.getCoupleId()).isEqualTo(couple);
                assertThat(prompt.getTitle() + prompt.getBody()).doesNotContainPattern("[0-9]")
                        .doesNotContain("walk", "Swim", "counsellor", "weekend");
            });
            assertThat(streamed).filteredOn(n -> n.getKind() == NotificationKind.PARTNER_PROPOSED_SHARED_GOAL)
                    .as("each was told once of the goal the other proposed").hasSize(1);
        }
    }
}
