package app.tandem.plans.together;

import app.tandem.plans.together.SharedGoalCommands.Answer;
import app.tandem.plans.together.SharedGoalCommands.AnswerSharedGoal;
import app.tandem.plans.together.SharedGoalCommands.Kind;
import app.tandem.plans.together.SharedGoalCommands.MarkSharedGoalDone;
import app.tandem.plans.together.SharedGoalCommands.ProposeSharedGoal;
import app.tandem.plans.together.SharedGoalCommands.RetireSharedGoal;
import app.tandem.plans.together.SharedGoalCommands.Rhythm;
import app.tandem.plans.together.SharedGoalCommands.Stage;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalAgreed;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalDeclined;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalDone;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalProposed;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalRetired;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SharedGoalTest {

    /** A Wednesday; its week started on Monday the 7th. */
    private static final Instant NOW = Instant.parse("2026-12-09T18:00:00Z");
    private static final Instant MONDAY = Instant.parse("2026-12-07T00:00:00Z");

    private AggregateTestFixture<SharedGoal> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(SharedGoal.class);
    }

    private static SharedGoalProposed proposed() {
        return new SharedGoalProposed("g1", "couple", "alex", "sam", Kind.ACTIVITY_TOGETHER, "sealed title", Rhythm.WEEKLY, NOW);
    }

    private static SharedGoalAgreed agreed() {
        return new SharedGoalAgreed("g1", "couple", "sam", NOW);
    }

    @Test
    void aPartnerProposesAGoalWithAKindAndATitle() {
        fixture.givenNoPriorActivity()
                .when(new ProposeSharedGoal("g1", "couple", "alex", "sam", Kind.ACTIVITY_TOGETHER, "sealed title", Rhythm.WEEKLY, NOW))
                .expectEvents(proposed())
                .expectState(g -> assertThat(g.view().stage()).isEqualTo(Stage.PROPOSED));
        fixture.givenNoPriorActivity()
                .when(new ProposeSharedGoal("g1", "couple", "alex", "sam", null, "", Rhythm.WEEKLY, NOW))
                .expectException(InvalidInput.class).expectNoEvents();
    }

    @Test
    void itIsTheCouplesOnlyOnceThePartnerAgrees() {
        fixture.given(proposed())
                .when(new MarkSharedGoalDone("g1", "alex", "k1", NOW))
                .expectException(RuleViolation.class).expectNoEvents();
        new AggregateTestFixture<>(SharedGoal.class).given(proposed())
                .when(new AnswerSharedGoal("g1", "sam", Answer.AGREE, NOW))
                .expectEvents(agreed())
                .expectState(g -> assertThat(g.view().stage()).isEqualTo(Stage.AGREED));
    }

    @Test
    void onlyThePartnerAnswersAndStrangersNothing() {
        fixture.given(proposed()).when(new AnswerSharedGoal("g1", "alex", Answer.AGREE, NOW)).expectException(AccessDenied.class);
        fixture.given(proposed()).when(new AnswerSharedGoal("g1", "robin", Answer.AGREE, NOW)).expectException(AccessDenied.class);
        fixture.given(proposed(), agreed()).when(new MarkSharedGoalDone("g1", "robin", "k1", NOW)).expectException(AccessDenied.class);
        fixture.given(proposed(), agreed()).when(new RetireSharedGoal("g1", "robin", NOW)).expectException(AccessDenied.class);
    }

    @Test
    void aDeclinedGoalKeepsNoReasonAndWasNeverTheCouples() {
        fixture.given(proposed())
                .when(new AnswerSharedGoal("g1", "sam", Answer.DECLINE, NOW))
                .expectEvents(new SharedGoalDeclined("g1", "couple", "sam", NOW));
        fixture.given(proposed(), new SharedGoalDeclined("g1", "couple", "sam", NOW))
                .when(new AnswerSharedGoal("g1", "sam", Answer.DECLINE, NOW)).expectNoEvents();
        fixture.given(proposed(), new SharedGoalDeclined("g1", "couple", "sam", NOW))
                .when(new AnswerSharedGoal("g1", "sam", Answer.AGREE, NOW)).expectException(RuleViolation.class);
        fixture.given(proposed(), new SharedGoalDeclined("g1", "couple", "sam", NOW))
                .when(new RetireSharedGoal("g1", "alex", NOW)).expectException(RuleViolation.class);
    }

    @Test
    void eachPartnerMarksItDoneOncePerWeek() {
        SharedGoalDone alexThisWeek = new SharedGoalDone("g1", "couple", "alex", MONDAY, NOW, "k1");
        fixture.given(proposed(), agreed())
                .when(new MarkSharedGoalDone("g1", "alex", "k1", NOW))
                .expectEvents(alexThisWeek);
        // a second tap on Sunday evening is the same week
        fixture.given(proposed(), agreed(), alexThisWeek)
                .when(new MarkSharedGoalDone("g1", "alex", "k2", Instant.parse("2026-12-13T23:59:00Z"))).expectNoEvents();
        Instant nextMonday = MONDAY.plus(Duration.ofDays(7));
        // the first request retried after the week turned counted in its own week only
        fixture.given(proposed(), agreed(), alexThisWeek)
                .when(new MarkSharedGoalDone("g1", "alex", "k1", nextMonday)).expectNoEvents();
        fixture.given(proposed(), agreed(), alexThisWeek)
                .when(new MarkSharedGoalDone("g1", "sam", "k3", NOW))
                .expectEvents(new SharedGoalDone("g1", "couple", "sam", MONDAY, NOW, "k3"));
        fixture.given(proposed(), agreed(), alexThisWeek)
                .when(new MarkSharedGoalDone("g1", "alex", "k4", nextMonday))
                .expectEvents(new SharedGoalDone("g1", "couple", "alex", nextMonday, nextMonday, "k4"))
                .expectState(g -> assertThat(g.view().doneIn(MONDAY)).containsExactly("alex"));
    }

    @Test
    void eitherPartnerRetiresItAndItsWeeksStay() {
        SharedGoalDone done = new SharedGoalDone("g1", "couple", "alex", MONDAY, NOW, "k1");
        fixture.given(proposed(), agreed(), done)
                .when(new RetireSharedGoal("g1", "sam", NOW))
                .expectEvents(new SharedGoalRetired("g1", "couple", "sam", NOW))
                .expectState(g -> assertThat(g.view().doneIn(MONDAY)).containsExactly("alex"));
        fixture.given(proposed(), agreed(), new SharedGoalRetired("g1", "couple", "sam", NOW))
                .when(new RetireSharedGoal("g1", "alex", NOW)).expectNoEvents();
        fixture.given(proposed(), agreed(), new SharedGoalRetired("g1", "couple", "sam", NOW))
                .when(new MarkSharedGoalDone("g1", "alex", "k2", NOW)).expectException(RuleViolation.class);
        fixture.given(proposed(), agreed(), new SharedGoalRetired("g1", "couple", "sam", NOW))
                .when(new AnswerSharedGoal("g1", "sam", Answer.AGREE, NOW)).expectNoEvents();
        // the one who proposed it may take it back before it was answered
        fixture.given(proposed())
                .when(new RetireSharedGoal("g1", "alex", NOW))
                .expectEvents(new SharedGoalRetired("g1", "couple", "alex", NOW));
    }

    @Test
    void aGoalCountsInTheWeeksItWasHeld() {
        SharedGoalView goal = new SharedGoalView("g1", "couple", "alex", "sam", Kind.HOBBY, "", Rhythm.WEEKLY, Stage.RETIRED, NOW, NOW,
                NOW.plus(Duration.ofDays(8)), java.util.List.of());
        assertThat(goal.heldDuring(MONDAY)).as("agreed this week").isTrue();
        assertThat(goal.heldDuring(MONDAY.plus(Duration.ofDays(7)))).as("retired during the next week").isTrue();
        assertThat(goal.heldDuring(MONDAY.plus(Duration.ofDays(14)))).as("retired before this week").isFalse();
        assertThat(goal.heldDuring(MONDAY.minus(Duration.ofDays(7)))).as("not agreed yet").isFalse();
    }
}
