package app.tandem.plans.conversation;

import app.tandem.plans.conversation.ConversationCommands.AgreedStep;
import app.tandem.plans.conversation.ConversationCommands.Answer;
import app.tandem.plans.conversation.ConversationCommands.AnswerConversation;
import app.tandem.plans.conversation.ConversationCommands.CompleteConversationStep;
import app.tandem.plans.conversation.ConversationCommands.Intention;
import app.tandem.plans.conversation.ConversationCommands.InviteToConversation;
import app.tandem.plans.conversation.ConversationCommands.PrepareConversation;
import app.tandem.plans.conversation.ConversationCommands.Preparation;
import app.tandem.plans.conversation.ConversationCommands.RecordAgreedSteps;
import app.tandem.plans.conversation.ConversationCommands.Stage;
import app.tandem.plans.conversation.ConversationEvents.AgreedStepsRecorded;
import app.tandem.plans.conversation.ConversationEvents.ConversationDeclined;
import app.tandem.plans.conversation.ConversationEvents.ConversationInvited;
import app.tandem.plans.conversation.ConversationEvents.ConversationPrepared;
import app.tandem.plans.conversation.ConversationEvents.ConversationStepCompleted;
import app.tandem.plans.conversation.ConversationEvents.ConversationTimeAgreed;
import app.tandem.plans.conversation.ConversationEvents.ConversationTimeProposed;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationTest {

    private static final Instant NOW = Instant.parse("2026-12-01T18:00:00Z");
    private static final Instant TALK = NOW.plus(Duration.ofDays(2));
    private static final Instant LATER_TALK = NOW.plus(Duration.ofDays(3));
    private static final Instant AFTER_TALK = LATER_TALK.plus(Duration.ofHours(2));
    private static final Instant DUE = AFTER_TALK.plus(Duration.ofDays(7));
    private static final Preparation PREPARATION = new Preparation(List.of(Intention.UNDERSTAND), List.of("pdc1:point"), "pdc1:need", "");

    private AggregateTestFixture<Conversation> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Conversation.class);
    }

    private static ConversationPrepared prepared() {
        return new ConversationPrepared("c1", "couple", "alex", "sam", PREPARATION, null, NOW);
    }

    private static ConversationInvited invited() {
        return new ConversationInvited("c1", "couple", "alex", "sam", TALK, "pdc1:kitchen", NOW);
    }

    private static ConversationTimeProposed samProposesLater() {
        return new ConversationTimeProposed("c1", "couple", "sam", "alex", LATER_TALK, "pdc1:kitchen", "alex", "k1", NOW);
    }

    private static ConversationTimeAgreed alexAccepts() {
        return new ConversationTimeAgreed("c1", "couple", "alex", "sam", LATER_TALK, "k2", NOW);
    }

    private static List<ConversationStep> steps() {
        return List.of(new ConversationStep("step-1", "pdc1:call the clinic", "sam", "alex", DUE),
                new ConversationStep("step-2", "pdc1:walk on Sunday", "sam", "sam", DUE));
    }

    private static RecordAgreedSteps recordSteps(String key, Instant now) {
        return new RecordAgreedSteps("c1", "sam", key, List.of(new AgreedStep("pdc1:call the clinic", "alex", DUE),
                new AgreedStep("pdc1:walk on Sunday", "sam", DUE)), now);
    }

    @Test
    void aPreparationIsTheAuthorsAloneUntilTheyInvite() {
        fixture.givenNoPriorActivity()
                .when(new PrepareConversation("c1", "couple", "alex", "sam", PREPARATION, null, NOW))
                .expectEvents(prepared())
                .expectState(c -> {
                    assertThat(c.view().stage()).isEqualTo(Stage.PREPARED);
                    assertThat(c.visibleTo("alex")).isTrue();
                    assertThat(c.visibleTo("sam")).isFalse();
                });
    }

    @Test
    void anEmptyPreparationIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new PrepareConversation("c1", "couple", "alex", "sam", new Preparation(List.of(), List.of(), "pdc1:need", ""), null, NOW))
                .expectException(InvalidInput.class)
                .expectNoEvents();
    }

    @Test
    void theAuthorInvitesWithATimeAndPlaceAndThePartnerThenSeesIt() {
        fixture.given(prepared())
                .when(new InviteToConversation("c1", "alex", TALK, "pdc1:kitchen", NOW))
                .expectEvents(invited())
                .expectState(c -> {
                    assertThat(c.view().awaitingAnswerFrom()).isEqualTo("sam");
                    assertThat(c.visibleTo("sam")).isTrue();
                });
    }

    @Test
    void onlyTheAuthorInvitesAndOnlyOnceAndOnlyToAFutureTime() {
        fixture.given(prepared()).when(new InviteToConversation("c1", "sam", TALK, "", NOW)).expectException(AccessDenied.class);
        fixture.given(prepared()).when(new InviteToConversation("c1", "alex", NOW.minusSeconds(60), "", NOW))
                .expectException(InvalidInput.class);
        fixture.given(prepared(), invited()).when(new InviteToConversation("c1", "alex", LATER_TALK, "", NOW))
                .expectException(RuleViolation.class);
    }

    @Test
    void aRetriedInvitationChangesNothing() {
        fixture.given(prepared(), invited())
                .when(new InviteToConversation("c1", "alex", TALK, "pdc1:kitchen-again", NOW))
                .expectNoEvents();
    }

    @Test
    void thePartnerProposesAnotherTimeKeepingThePlaceAndTheAuthorIsToAnswer() {
        fixture.given(prepared(), invited())
                .when(new AnswerConversation("c1", "sam", "k1", Answer.PROPOSE_ANOTHER_TIME, LATER_TALK, "", NOW))
                .expectEvents(samProposesLater())
                .expectState(c -> assertThat(c.view().awaitingAnswerFrom()).isEqualTo("alex"));
    }

    @Test
    void aNewPlaceIsUnderTheKeyOfWhoProposedIt() {
        fixture.given(prepared(), invited())
                .when(new AnswerConversation("c1", "sam", "k1", Answer.PROPOSE_ANOTHER_TIME, LATER_TALK, "pdc1:park", NOW))
                .expectEvents(new ConversationTimeProposed("c1", "couple", "sam", "alex", LATER_TALK, "pdc1:park", "sam", "k1", NOW));
    }

    @Test
    void whoProposedATimeDoesNotAnswerItThemselves() {
        fixture.given(prepared(), invited())
                .when(new AnswerConversation("c1", "alex", "k9", Answer.ACCEPT, null, null, NOW))
                .expectException(RuleViolation.class);
    }

    @Test
    void theOtherAcceptsTheProposedTime() {
        fixture.given(prepared(), invited(), samProposesLater())
                .when(new AnswerConversation("c1", "alex", "k2", Answer.ACCEPT, null, null, NOW))
                .expectEvents(alexAccepts())
                .expectState(c -> assertThat(c.view().stage()).isEqualTo(Stage.AGREED));
    }

    @Test
    void aDeclineNeedsNoReasonAndEndsTheInvitation() {
        fixture.given(prepared(), invited())
                .when(new AnswerConversation("c1", "sam", "k1", Answer.DECLINE, null, null, NOW))
                .expectEvents(new ConversationDeclined("c1", "couple", "sam", "alex", "k1", NOW))
                .expectState(c -> assertThat(c.view().stage()).isEqualTo(Stage.DECLINED));
        fixture.given(prepared(), invited(), new ConversationDeclined("c1", "couple", "sam", "alex", "k1", NOW))
                .when(new AnswerConversation("c1", "sam", "k5", Answer.ACCEPT, null, null, NOW))
                .expectException(RuleViolation.class);
    }

    @Test
    void aRetriedAnswerChangesNothing() {
        fixture.given(prepared(), invited(), samProposesLater())
                .when(new AnswerConversation("c1", "sam", "k1", Answer.PROPOSE_ANOTHER_TIME, LATER_TALK, "", NOW))
                .expectNoEvents();
    }

    @Test
    void someoneOutsideTheCoupleIsRefused() {
        fixture.given(prepared(), invited())
                .when(new AnswerConversation("c1", "robin", "k1", Answer.ACCEPT, null, null, NOW))
                .expectException(AccessDenied.class);
    }

    @Test
    void afterTheTalkEitherRecordsTheAgreedStepsEachATaskOfItsOwner() {
        fixture.given(prepared(), invited(), samProposesLater(), alexAccepts())
                .when(recordSteps("k3", AFTER_TALK))
                .expectEvents(new AgreedStepsRecorded("c1", "couple", "sam", "alex", steps(), "k3", AFTER_TALK))
                .expectState(c -> assertThat(c.view().stage()).isEqualTo(Stage.HELD));
    }

    @Test
    void stepsWaitForTheAgreedTime() {
        fixture.given(prepared(), invited(), samProposesLater(), alexAccepts())
                .when(recordSteps("k3", LATER_TALK.minusSeconds(60)))
                .expectException(RuleViolation.class);
        fixture.given(prepared(), invited())
                .when(recordSteps("k3", AFTER_TALK))
                .expectException(RuleViolation.class);
    }

    @Test
    void stepsAreRecordedOnceAndARetryChangesNothing() {
        AgreedStepsRecorded recorded = new AgreedStepsRecorded("c1", "couple", "sam", "alex", steps(), "k3", AFTER_TALK);
        fixture.given(prepared(), invited(), samProposesLater(), alexAccepts(), recorded)
                .when(recordSteps("k3", AFTER_TALK)).expectNoEvents();
        fixture.given(prepared(), invited(), samProposesLater(), alexAccepts(), recorded)
                .when(recordSteps("k4", AFTER_TALK)).expectException(RuleViolation.class);
    }

    @Test
    void aStepNeedsTextAnOwnerInTheCoupleAndAFutureDueDate() {
        fixture.given(prepared(), invited(), samProposesLater(), alexAccepts())
                .when(new RecordAgreedSteps("c1", "sam", "k3", List.of(new AgreedStep("pdc1:x", "robin", AFTER_TALK.minusSeconds(1))), AFTER_TALK))
                .expectException(InvalidInput.class);
        fixture.given(prepared(), invited(), samProposesLater(), alexAccepts())
                .when(new RecordAgreedSteps("c1", "sam", "k3", List.of(), AFTER_TALK))
                .expectException(InvalidInput.class);
    }

    @Test
    void onlyItsOwnerCompletesAStepOnce() {
        AgreedStepsRecorded recorded = new AgreedStepsRecorded("c1", "couple", "sam", "alex", steps(), "k3", AFTER_TALK);
        ConversationStepCompleted done = new ConversationStepCompleted("c1", "couple", "step-1", "alex", DUE);
        fixture.given(prepared(), invited(), samProposesLater(), alexAccepts(), recorded)
                .when(new CompleteConversationStep("c1", "alex", "step-1", DUE))
                .expectEvents(done)
                .expectState(c -> assertThat(c.view().doneSteps()).containsKey("step-1"));
        fixture.given(prepared(), invited(), samProposesLater(), alexAccepts(), recorded)
                .when(new CompleteConversationStep("c1", "sam", "step-1", DUE)).expectException(AccessDenied.class);
        fixture.given(prepared(), invited(), samProposesLater(), alexAccepts(), recorded, done)
                .when(new CompleteConversationStep("c1", "alex", "step-1", DUE)).expectNoEvents();
        fixture.given(prepared(), invited(), samProposesLater(), alexAccepts(), recorded)
                .when(new CompleteConversationStep("c1", "alex", "step-9", DUE)).expectException(NotFound.class);
    }
}
