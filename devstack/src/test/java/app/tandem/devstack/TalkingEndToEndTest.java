package app.tandem.devstack;

import app.tandem.api.v1.AcknowledgeVictoryRequest;
import app.tandem.api.v1.AgreedStep;
import app.tandem.api.v1.AnswerConversationRequest;
import app.tandem.api.v1.AnswerNeedRequest;
import app.tandem.api.v1.CompleteConversationStepRequest;
import app.tandem.api.v1.Conversation;
import app.tandem.api.v1.ConversationAnswer;
import app.tandem.api.v1.ConversationIntention;
import app.tandem.api.v1.ConversationPreparation;
import app.tandem.api.v1.ConversationStage;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.ExpressNeedRequest;
import app.tandem.api.v1.InviteToConversationRequest;
import app.tandem.api.v1.ListConversationsRequest;
import app.tandem.api.v1.ListNeedsRequest;
import app.tandem.api.v1.ListVictoriesRequest;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.ListVictoriesResponse;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationKind;
import app.tandem.api.v1.Need;
import app.tandem.api.v1.NeedAnswer;
import app.tandem.api.v1.NeedKind;
import app.tandem.api.v1.PrepareConversationRequest;
import app.tandem.api.v1.RecordAgreedStepsRequest;
import app.tandem.api.v1.RecordVictoryRequest;
import app.tandem.api.v1.StepOwner;
import app.tandem.api.v1.Victory;
import app.tandem.api.v1.VictoryKind;
import app.tandem.api.v1.VictoryReaction;
import app.tandem.api.v1.Visibility;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Talking and rebuilding trust, through the gateway on the embedded stack: a conversation prepared alone, invited to,
 * moved, held and its steps agreed and done, the preparation never reaching the partner; small victories shared and
 * acknowledged, counted, a private one never seen by the partner; a need said and answered.
 */
@ExtendWith(EmbeddedTandem.class)
class TalkingEndToEndTest {

    private static TandemUnderTest tandem;

    @BeforeAll
    static void start() {
        tandem = EmbeddedTandem.get();
    }

    private record Couple(String id, GatewayClient alex, GatewayClient sam) {
    }

    private static Couple couple() {
        GatewayClient alex = tandem.person("alex");
        GatewayClient sam = tandem.person("sam");
        CreateCoupleResponse created = alex.createCouple();
        sam.join(created.getInviteCode());
        // plans-service learns the couple from the journal's events
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                sam.plans().listNeeds(ListNeedsRequest.newBuilder().setCoupleId(created.getCoupleId()).build()) != null);
        return new Couple(created.getCoupleId(), alex, sam);
    }

    private static Conversation only(GatewayClient person, String coupleId) {
        var conversations = person.plans().listConversations(ListConversationsRequest.newBuilder().setCoupleId(coupleId).build());
        assertThat(conversations.getConversationsList()).hasSize(1);
        return conversations.getConversations(0);
    }

    /** The person's prompts of a kind, once there is one: titles and bodies as a lock screen shows them. */
    private static List<Notification> prompted(GatewayClient person, NotificationKind kind) {
        await().atMost(Duration.ofSeconds(30)).until(() -> person.notifications().listNotifications(ListNotificationsRequest.getDefaultInstance())
                .getNotificationsList().stream().anyMatch(n -> n.getKind() == kind));
        return person.notifications().listNotifications(ListNotificationsRequest.getDefaultInstance()).getNotificationsList();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code, String why) {
        assertThatThrownBy(call).as(why).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }

    @Test
    void aConversationIsPreparedInvitedMovedHeldAndItsStepsDone() {
        Couple couple = couple();
        Conversation prepared = couple.alex().plans().prepareConversation(PrepareConversationRequest.newBuilder()
                .setIdempotencyKey(GatewayClient.key()).setCoupleId(couple.id())
                .setPreparation(ConversationPreparation.newBuilder().addIntentions(ConversationIntention.INTENTION_APOLOGISE)
                        .addPoints("I hid the bottle and I am sorry").setWhatINeed("Hear me out to the end")
                        .setSupport("My sponsor, after")).build());
        String id = prepared.getConversationId();
        assertThat(prepared.getPreparation().getPoints(0)).isEqualTo("I hid the bottle and I am sorry");
        assertThat(couple.sam().plans().listConversations(ListConversationsRequest.newBuilder().setCoupleId(couple.id()).build())
                .getConversationsList()).as("not invited yet: the partner knows nothing of it").isEmpty();

        Instant evening = tandem.clock.instant().plus(Duration.ofDays(1));
        couple.alex().plans().inviteToConversation(InviteToConversationRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setConversationId(id).setProposedTime(Timestamps.of(evening)).setPlace("On a walk by the river").build());
        Conversation invitation = only(couple.sam(), couple.id());
        assertThat(invitation.getStage()).isEqualTo(ConversationStage.CONVERSATION_INVITED);
        assertThat(invitation.getPlace()).isEqualTo("On a walk by the river");
        assertThat(invitation.getAwaitingAnswerFromPersonId()).isEqualTo(couple.sam().personId);
        assertThat(invitation.hasPreparation()).as("the preparation stays its author's").isFalse();
        assertThat(invitation.getGuidance()).as("guidance for the stage, in English by default").contains("time");
        assertThat(couple.sam().plans().listConversations(ListConversationsRequest.newBuilder().setCoupleId(couple.id()).setLocale("de-DE")
                .build()).getConversations(0).getGuidance()).as("localised").startsWith("Wählt");
        assertThat(invitation.toString()).doesNotContain("bottle", "sponsor", "Hear me out");
        assertThat(prompted(couple.sam(), NotificationKind.CONVERSATION_TIME_PROPOSED).toString())
                .as("lock-screen safe").doesNotContain("river", "bottle", "sponsor");

        Instant nextDay = evening.plus(Duration.ofDays(1));
        couple.sam().plans().answerConversation(AnswerConversationRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setConversationId(id).setAnswer(ConversationAnswer.CONVERSATION_PROPOSE_ANOTHER_TIME)
                .setProposedTime(Timestamps.of(nextDay)).build());
        assertThat(only(couple.alex(), couple.id()).getAwaitingAnswerFromPersonId()).isEqualTo(couple.alex().personId);
        Conversation agreed = couple.alex().plans().answerConversation(AnswerConversationRequest.newBuilder()
                .setIdempotencyKey(GatewayClient.key()).setConversationId(id).setAnswer(ConversationAnswer.CONVERSATION_ACCEPT).build());
        assertThat(agreed.getStage()).isEqualTo(ConversationStage.CONVERSATION_AGREED);
        assertThat(Timestamps.toInstant(agreed.getProposedTime())).isEqualTo(nextDay);
        assertThat(agreed.getPlace()).as("the place stays as first proposed").isEqualTo("On a walk by the river");

        RecordAgreedStepsRequest steps = RecordAgreedStepsRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setConversationId(id)
                .addSteps(AgreedStep.newBuilder().setText("Book a session with the counsellor").setOwner(StepOwner.STEP_OWNER_MY_PARTNER)
                        .setDueAt(Timestamps.of(nextDay.plus(Duration.ofDays(7)))))
                .addSteps(AgreedStep.newBuilder().setText("Sunday walk, just us").setOwner(StepOwner.STEP_OWNER_ME)
                        .setDueAt(Timestamps.of(nextDay.plus(Duration.ofDays(5))))).build();
        assertRefused(() -> couple.sam().plans().recordAgreedSteps(steps), Status.Code.FAILED_PRECONDITION, "before the talk");

        tandem.clock.advance(Duration.between(tandem.clock.instant(), nextDay).plus(Duration.ofHours(1)));
        Conversation held = couple.sam().plans().recordAgreedSteps(steps);
        assertThat(couple.sam().plans().recordAgreedSteps(steps)).as("a retry").isEqualTo(held);
        assertThat(held.getStage()).isEqualTo(ConversationStage.CONVERSATION_HELD);
        assertThat(held.getStepsList()).extracting(s -> s.getOwnerPersonId())
                .containsExactly(couple.alex().personId, couple.sam().personId);

        assertRefused(() -> couple.sam().plans().completeConversationStep(CompleteConversationStepRequest.newBuilder()
                .setIdempotencyKey(GatewayClient.key()).setConversationId(id).setStepId("step-1").build()),
                Status.Code.PERMISSION_DENIED, "a step is its owner's to mark done");
        couple.alex().plans().completeConversationStep(CompleteConversationStepRequest.newBuilder()
                .setIdempotencyKey(GatewayClient.key()).setConversationId(id).setStepId("step-1").build());
        Conversation seenBySam = only(couple.sam(), couple.id());
        assertThat(seenBySam.getSteps(0).getDone()).isTrue();
        assertThat(seenBySam.getSteps(0).getText()).isEqualTo("Book a session with the counsellor");
        assertThat(seenBySam.getSteps(1).getDone()).isFalse();
        assertThat(only(couple.alex(), couple.id()).getPreparation().getWhatINeed()).isEqualTo("Hear me out to the end");
    }

    @Test
    void aSharedVictoryIsAcknowledgedAndCountedAndAPrivateOneNeverReachesThePartner() {
        Couple couple = couple();
        Victory shared = couple.alex().plans().recordVictory(RecordVictoryRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setCoupleId(couple.id()).setKind(VictoryKind.VICTORY_MEETING_ATTENDED).setVisibility(Visibility.SHARED_WITH_PARTNER).build());
        Victory mine = couple.alex().plans().recordVictory(RecordVictoryRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setCoupleId(couple.id()).setKind(VictoryKind.VICTORY_OTHER).setText("Walked past the off-licence")
                .setVisibility(Visibility.PRIVATE).build());

        ListVictoriesResponse samSees = couple.sam().plans().listVictories(ListVictoriesRequest.newBuilder().setCoupleId(couple.id()).build());
        assertThat(samSees.getVictoriesList()).extracting(Victory::getVictoryId).containsExactly(shared.getVictoryId());
        assertThat(samSees.toString()).doesNotContain("off-licence");
        assertThat(samSees.getSharedByPartner()).isEqualTo(1);
        assertThat(samSees.getSharedByMe()).isZero();
        assertRefused(() -> couple.sam().plans().acknowledgeVictory(AcknowledgeVictoryRequest.newBuilder()
                .setIdempotencyKey(GatewayClient.key()).setVictoryId(mine.getVictoryId()).setReaction(VictoryReaction.REACTION_WELL_DONE).build()),
                Status.Code.NOT_FOUND, "a private victory, to the partner, does not exist");

        couple.sam().plans().acknowledgeVictory(AcknowledgeVictoryRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setVictoryId(shared.getVictoryId()).setReaction(VictoryReaction.REACTION_PROUD_OF_YOU).build());
        ListVictoriesResponse alexSees = couple.alex().plans().listVictories(ListVictoriesRequest.newBuilder().setCoupleId(couple.id()).build());
        assertThat(alexSees.getVictoriesList()).extracting(Victory::getVictoryId).containsExactlyInAnyOrder(shared.getVictoryId(), mine.getVictoryId());
        assertThat(alexSees.getVictoriesList()).filteredOn(v -> v.getVictoryId().equals(shared.getVictoryId()))
                .extracting(Victory::getReaction).containsExactly(VictoryReaction.REACTION_PROUD_OF_YOU);
        assertThat(alexSees.getSharedByMe()).as("only shared victories count").isEqualTo(1);
        assertThat(prompted(couple.alex(), NotificationKind.VICTORY_ACKNOWLEDGED)).isNotEmpty();
        assertThat(prompted(couple.sam(), NotificationKind.PARTNER_SHARED_VICTORY)).as("one prompt: the private victory told nobody")
                .filteredOn(n -> n.getKind() == NotificationKind.PARTNER_SHARED_VICTORY).hasSize(1);
    }

    @Test
    void aNeedIsSaidAndAnswered() {
        Couple couple = couple();
        Need need = couple.sam().plans().expressNeed(ExpressNeedRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setCoupleId(couple.id()).setKind(NeedKind.NEED_FROM_YOU_THIS_WEEK).setText("Come with me to the Tuesday group").build());
        couple.alex().plans().answerNeed(AnswerNeedRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setNeedId(need.getNeedId()).setAnswer(NeedAnswer.NEED_I_CAN_DO_THAT).build());
        Need seen = couple.sam().plans().listNeeds(ListNeedsRequest.newBuilder().setCoupleId(couple.id()).build()).getNeeds(0);
        assertThat(seen.getText()).isEqualTo("Come with me to the Tuesday group");
        assertThat(seen.getAnswer()).isEqualTo(NeedAnswer.NEED_I_CAN_DO_THAT);
        assertRefused(() -> couple.sam().plans().answerNeed(AnswerNeedRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setNeedId(need.getNeedId()).setAnswer(NeedAnswer.NEED_I_CAN_DO_THAT).build()), Status.Code.PERMISSION_DENIED,
                "nobody answers their own need");
    }
}
