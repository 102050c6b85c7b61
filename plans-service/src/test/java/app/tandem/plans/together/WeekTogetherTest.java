package app.tandem.plans.together;

import app.tandem.api.v1.StepStatus;
import app.tandem.plans.conversation.ConversationStep;
import app.tandem.plans.conversation.ConversationSteps.AgreedStep;
import app.tandem.plans.together.WeekLookBackCommands.LookBackOnWeek;
import app.tandem.plans.together.WeekLookBackEvents.WeekEnded;
import app.tandem.platform.domain.InvalidInput;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The couple's weeks, which steps a week shows, and the look back's own rules. */
class WeekTogetherTest {

    private static final Instant MONDAY = Instant.parse("2026-12-07T00:00:00Z");
    private static final Instant NEXT_MONDAY = MONDAY.plus(Duration.ofDays(7));

    @Test
    void weeksRunFromMondayToMondayInUtc() {
        assertThat(Weeks.startOf(MONDAY)).isEqualTo(MONDAY);
        assertThat(Weeks.startOf(Instant.parse("2026-12-13T23:59:59Z"))).isEqualTo(MONDAY);
        assertThat(Weeks.startOf(NEXT_MONDAY)).isEqualTo(NEXT_MONDAY);
        assertThat(Weeks.endOf(Instant.parse("2026-12-09T12:00:00Z"))).isEqualTo(NEXT_MONDAY);
    }

    private static AgreedStep step(Instant dueAt, Instant doneAt) {
        return new AgreedStep("c1", new ConversationStep("step-1", "sealed", "alex", "sam", dueAt), doneAt);
    }

    @Test
    void aWeekShowsTheStepsDoneInItDueInItAndOverdue() {
        Instant wednesday = MONDAY.plus(Duration.ofDays(2));
        assertThat(WeekTogetherEndpoint.status(step(MONDAY.minus(Duration.ofDays(3)), MONDAY.plus(Duration.ofHours(5))), MONDAY, NEXT_MONDAY,
                wednesday)).as("done this week, late or not").isEqualTo(StepStatus.STEP_DONE);
        assertThat(WeekTogetherEndpoint.status(step(MONDAY.plus(Duration.ofDays(5)), MONDAY.minus(Duration.ofDays(1))), MONDAY, NEXT_MONDAY,
                wednesday)).as("done the week before").isNull();
        assertThat(WeekTogetherEndpoint.status(step(MONDAY.plus(Duration.ofDays(5)), null), MONDAY, NEXT_MONDAY, wednesday))
                .isEqualTo(StepStatus.STEP_DUE);
        assertThat(WeekTogetherEndpoint.status(step(MONDAY.plus(Duration.ofDays(1)), null), MONDAY, NEXT_MONDAY, wednesday))
                .isEqualTo(StepStatus.STEP_OVERDUE);
        assertThat(WeekTogetherEndpoint.status(step(MONDAY.minus(Duration.ofDays(10)), null), MONDAY, NEXT_MONDAY, wednesday))
                .as("still open from before").isEqualTo(StepStatus.STEP_OVERDUE);
        assertThat(WeekTogetherEndpoint.status(step(NEXT_MONDAY.plus(Duration.ofDays(1)), null), MONDAY, NEXT_MONDAY, wednesday))
                .as("due later").isNull();
    }

    @Test
    void aLookBackIsOfOneCoupleAndOneWeekWithItsTwoPartners() {
        AggregateTestFixture<WeekLookBack> fixture = new AggregateTestFixture<>(WeekLookBack.class);
        String id = WeekLookBackCommands.idOf("couple", MONDAY);
        fixture.givenNoPriorActivity()
                .when(new LookBackOnWeek(id, "couple", MONDAY, List.of("alex", "sam")))
                .expectEvents(new WeekEnded(id, "couple", MONDAY, List.of("alex", "sam")));
        fixture.givenNoPriorActivity()
                .when(new LookBackOnWeek(id, "couple", MONDAY.plus(Duration.ofHours(1)), List.of("alex", "sam")))
                .expectException(InvalidInput.class);
        fixture.givenNoPriorActivity()
                .when(new LookBackOnWeek(id, "couple", MONDAY, List.of("sam")))
                .expectException(InvalidInput.class);
    }
}
