package app.tandem.plans.need;

import app.tandem.plans.need.NeedCommands.Answer;
import app.tandem.plans.need.NeedCommands.AnswerNeed;
import app.tandem.plans.need.NeedCommands.ExpressNeed;
import app.tandem.plans.need.NeedCommands.Kind;
import app.tandem.plans.need.NeedEvents.NeedAnswered;
import app.tandem.plans.need.NeedEvents.NeedExpressed;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class NeedTest {

    private static final Instant NOW = Instant.parse("2026-12-01T18:00:00Z");

    private AggregateTestFixture<Need> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Need.class);
    }

    private static NeedExpressed expressed() {
        return new NeedExpressed("n1", "couple", "sam", "alex", Kind.FROM_YOU_THIS_WEEK, "pdc1:an evening out", NOW);
    }

    @Test
    void aNeedIsSaidInAFewWords() {
        fixture.givenNoPriorActivity()
                .when(new ExpressNeed("n1", "couple", "sam", "alex", Kind.FROM_YOU_THIS_WEEK, "pdc1:an evening out", NOW))
                .expectEvents(expressed());
        fixture.givenNoPriorActivity()
                .when(new ExpressNeed("n1", "couple", "sam", "alex", Kind.FOR_MYSELF, "", NOW))
                .expectException(InvalidInput.class);
    }

    @Test
    void thePartnerAnswersIt() {
        fixture.given(expressed())
                .when(new AnswerNeed("n1", "alex", Answer.LETS_TALK_ABOUT_IT, NOW))
                .expectEvents(new NeedAnswered("n1", "couple", "alex", "sam", Answer.LETS_TALK_ABOUT_IT, NOW))
                .expectState(n -> assertThat(n.view().answer()).isEqualTo(Answer.LETS_TALK_ABOUT_IT));
    }

    @Test
    void nobodyAnswersTheirOwnNeedAndStrangersNone() {
        fixture.given(expressed()).when(new AnswerNeed("n1", "sam", Answer.I_CAN_DO_THAT, NOW)).expectException(AccessDenied.class);
        fixture.given(expressed()).when(new AnswerNeed("n1", "robin", Answer.I_CAN_DO_THAT, NOW)).expectException(AccessDenied.class);
    }

    @Test
    void aNeedIsAnsweredOnceAndARetryChangesNothing() {
        NeedAnswered answered = new NeedAnswered("n1", "couple", "alex", "sam", Answer.I_CAN_DO_THAT, NOW);
        fixture.given(expressed(), answered).when(new AnswerNeed("n1", "alex", Answer.I_CAN_DO_THAT, NOW)).expectNoEvents();
        fixture.given(expressed(), answered).when(new AnswerNeed("n1", "alex", Answer.LETS_TALK_ABOUT_IT, NOW))
                .expectException(RuleViolation.class);
    }
}
