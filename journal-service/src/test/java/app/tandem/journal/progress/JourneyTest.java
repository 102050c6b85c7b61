package app.tandem.journal.progress;

import app.tandem.journal.progress.ProgressCommands.DiscloseLapse;
import app.tandem.journal.progress.ProgressCommands.NoteCheckIn;
import app.tandem.journal.progress.ProgressCommands.SetGoal;
import app.tandem.journal.progress.ProgressCommands.Use;
import app.tandem.journal.progress.ProgressEvents.GoalSet;
import app.tandem.journal.progress.ProgressEvents.JourneyStarted;
import app.tandem.journal.progress.ProgressEvents.MilestoneReached;
import app.tandem.journal.progress.ProgressEvents.UseRecorded;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;


class JourneyTest {

    private static final Instant START = Instant.parse("2026-11-01T09:00:00Z");
    private static final String ID = Journey.idOf("alex");
    private static final Use NO_USE = new Use(List.of(), false, false);
    private static final Use ALCOHOL = new Use(List.of(Substance.ALCOHOL), true, false);

    private AggregateTestFixture<Journey> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Journey.class);
    }

    private static Instant day(int day) {
        return START.plus(Duration.ofDays(day)).plusSeconds(60);
    }

    private static JourneyStarted started() {
        return new JourneyStarted(ID, "alex", START);
    }

    private static GoalSet abstinence(List<Substance> substances, boolean share) {
        return new GoalSet(ID, "alex", "g1", GoalKind.ABSTINENCE, substances, share, START);
    }

    private static NoteCheckIn checkIn(String id, int day, boolean shared, boolean used, Use use) {
        return new NoteCheckIn(ID, "alex", id, "c1", "sam", shared, day(day), day(day), used, use);
    }

    private static MilestoneReached milestone(int days, Instant runStart, Instant at, boolean shared) {
        return new MilestoneReached(ID, "alex", java.util.UUID.nameUUIDFromBytes((ID + "/" + runStart + "/" + days)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(), days, GoalKind.ABSTINENCE, runStart, at, "c1", "sam", shared);
    }

    @Test
    void aFirstGoalStartsTheJourney() {
        fixture.givenNoPriorActivity()
                .when(new SetGoal(ID, "alex", "g1", GoalKind.ABSTINENCE, List.of(Substance.ALCOHOL), true, START))
                .expectEvents(started(), abstinence(List.of(Substance.ALCOHOL), true));
    }

    @Test
    void aChangedGoalKeepsTheEarlierOneInHistory() {
        fixture.given(started(), abstinence(List.of(), false))
                .when(new SetGoal(ID, "alex", "g2", GoalKind.REDUCED_USE, List.of(Substance.OPIOIDS), false, day(3)))
                .expectEvents(new GoalSet(ID, "alex", "g2", GoalKind.REDUCED_USE, List.of(Substance.OPIOIDS), false, day(3)));
    }

    @Test
    void aSharedUseAgainstAnAbstinenceGoalIsADisclosedLapse() {
        fixture.given(started(), abstinence(List.of(Substance.ALCOHOL), false))
                .when(checkIn("k12", 12, true, true, ALCOHOL))
                .expectEvents(new UseRecorded(ID, "alex", "k12", "k12", day(12), ALCOHOL, true, true, "c1", "sam", day(12)));
    }

    @Test
    void useReportedPrivatelyEndsTheRunButIsNeverDisclosed() {
        fixture.given(started(), abstinence(List.of(Substance.ALCOHOL), false))
                .when(checkIn("k12", 12, false, true, ALCOHOL))
                .expectEvents(new UseRecorded(ID, "alex", "k12", "k12", day(12), ALCOHOL, true, true, null, null, day(12)));
    }

    @Test
    void aSharedUseWithoutAnyGoalIsADisclosedLapseAsAnExplicitDisclosureIs() {
        // whoever shares a use without having said what they aim for may want support after it, so their partner is asked
        fixture.given(started())
                .when(checkIn("k4", 4, true, true, ALCOHOL))
                .expectEvents(new UseRecorded(ID, "alex", "k4", "k4", day(4), ALCOHOL, true, true, "c1", "sam", day(4)));
    }

    @Test
    void aPrivateUseWithoutAnyGoalStaysPrivate() {
        fixture.given(started())
                .when(checkIn("k4", 4, false, true, ALCOHOL))
                .expectEvents(new UseRecorded(ID, "alex", "k4", "k4", day(4), ALCOHOL, true, true, null, null, day(4)));
    }

    @Test
    void useUnderAHarmReductionGoalIsNoLapse() {
        fixture.given(started(), new GoalSet(ID, "alex", "g1", GoalKind.SAFER_USE, List.of(), false, START))
                .when(checkIn("k2", 2, true, true, ALCOHOL))
                .expectEvents(new UseRecorded(ID, "alex", "k2", "k2", day(2), ALCOHOL, true, false, null, null, day(2)));
    }

    @Test
    void useOfASubstanceOutsideTheGoalDoesNotEndTheRun() {
        Use cannabis = new Use(List.of(Substance.CANNABIS), false, false);
        fixture.given(started(), abstinence(List.of(Substance.ALCOHOL), false))
                .when(checkIn("k3", 3, true, true, cannabis))
                .expectEvents(new UseRecorded(ID, "alex", "k3", "k3", day(3), cannabis, false, false, null, null, day(3)),
                        milestone(3, START, day(3), false));
    }

    @Test
    void milestonesAreCelebratedOnTheirDayAndOnlyOnce() {
        fixture.given(started(), abstinence(List.of(), true), milestone(1, START, day(1), true))
                .when(checkIn("k3", 3, true, false, NO_USE))
                .expectEvents(milestone(3, START, day(3), true));
        fixture.given(started(), abstinence(List.of(), true), milestone(1, START, day(1), true), milestone(3, START, day(3), true))
                .when(checkIn("k4", 4, true, false, NO_USE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void milestonesComeOnTheirDaysThenEveryYear() {
        int[] expected = {1, 3, 7, 14, 30, 60, 90, 180, 365, 730, 1095};
        int days = 0;
        for (int milestone : expected) {
            days = Milestones.nextAfter(days);
            assertThat(days).isEqualTo(milestone);
            assertThat(Milestones.isMilestone(days)).isTrue();
        }
        assertThat(Milestones.nextAfter(400)).isEqualTo(730);
        assertThat(Milestones.nextAfter(0)).isEqualTo(1);
    }

    @Test
    void afterALongSilenceOnlyTheHighestMilestoneIsCelebrated() {
        fixture.given(started(), abstinence(List.of(), false))
                .when(checkIn("k10", 10, false, false, NO_USE))
                .expectEvents(milestone(7, START, day(10), false));
    }

    @Test
    void afterALapseANewRunCelebratesAgainFromDayOne() {
        UseRecorded lapse = new UseRecorded(ID, "alex", "k12", "k12", day(12), ALCOHOL, true, true, "c1", "sam", day(12));
        fixture.given(started(), abstinence(List.of(), false), milestone(7, START, day(7), false), lapse)
                .when(checkIn("k13", 13, false, false, NO_USE))
                .expectEvents(milestone(1, day(12), day(13), false));
    }

    @Test
    void aCheckInNotedTwiceCountsOnce() {
        UseRecorded lapse = new UseRecorded(ID, "alex", "k12", "k12", day(12), ALCOHOL, true, true, "c1", "sam", day(12));
        fixture.given(started(), abstinence(List.of(), false), lapse)
                .when(checkIn("k12", 12, true, true, ALCOHOL))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anExplicitDisclosureIsALapseWhateverTheGoal() {
        fixture.given(started(), new GoalSet(ID, "alex", "g1", GoalKind.REDUCED_USE, List.of(), false, START))
                .when(new DiscloseLapse(ID, "alex", "l1", "c1", "sam", day(5), ALCOHOL, day(5)))
                .expectEvents(new UseRecorded(ID, "alex", "l1", null, day(5), ALCOHOL, true, true, "c1", "sam", day(5)));
    }

    @Test
    void theFirstCheckInStartsCountingWhenNoGoalWasSet() {
        fixture.givenNoPriorActivity()
                .when(checkIn("k0", 0, false, false, NO_USE))
                .expectEvents(new JourneyStarted(ID, "alex", day(0)));
    }
}
