package app.tandem.devstack;

import app.tandem.api.v1.Consent;
import app.tandem.api.v1.ConsentPurpose;
import app.tandem.api.v1.CreateClientInvitationRequest;
import app.tandem.api.v1.DisclosureScope;
import app.tandem.api.v1.EndTreatmentRequest;
import app.tandem.api.v1.GetClientSummaryRequest;
import app.tandem.api.v1.ListClientsRequest;
import app.tandem.api.v1.ListConsentsRequest;
import app.tandem.api.v1.ListDisclosuresRequest;
import app.tandem.api.v1.PrepareConsentRequest;
import app.tandem.api.v1.RevokeConsentRequest;
import app.tandem.api.v1.SignConsentRequest;
import app.tandem.api.v1.WatchCareEventsRequest;
import app.tandem.api.v1.AcknowledgeSafetyPlanRequest;
import app.tandem.api.v1.AcknowledgeVictoryRequest;
import app.tandem.api.v1.AnswerSharedGoalRequest;
import app.tandem.api.v1.GetWeekTogetherRequest;
import app.tandem.api.v1.ListSharedGoalsRequest;
import app.tandem.api.v1.MarkSharedGoalDoneRequest;
import app.tandem.api.v1.ProposeSharedGoalRequest;
import app.tandem.api.v1.RetireSharedGoalRequest;
import app.tandem.api.v1.SharedGoalAnswer;
import app.tandem.api.v1.SharedGoalKind;
import app.tandem.api.v1.AgreedStep;
import app.tandem.api.v1.AnswerConversationRequest;
import app.tandem.api.v1.AnswerNeedRequest;
import app.tandem.api.v1.CompleteConversationStepRequest;
import app.tandem.api.v1.ConversationAnswer;
import app.tandem.api.v1.ConversationIntention;
import app.tandem.api.v1.ConversationPreparation;
import app.tandem.api.v1.ExpressNeedRequest;
import app.tandem.api.v1.InviteToConversationRequest;
import app.tandem.api.v1.ListConversationsRequest;
import app.tandem.api.v1.ListNeedsRequest;
import app.tandem.api.v1.ListVictoriesRequest;
import app.tandem.api.v1.NeedAnswer;
import app.tandem.api.v1.NeedKind;
import app.tandem.api.v1.PrepareConversationRequest;
import app.tandem.api.v1.RecordAgreedStepsRequest;
import app.tandem.api.v1.RecordVictoryRequest;
import app.tandem.api.v1.StepOwner;
import app.tandem.api.v1.VictoryKind;
import app.tandem.api.v1.VictoryReaction;
import app.tandem.api.v1.AmendCheckInRequest;
import app.tandem.api.v1.BoundaryAppliesTo;
import app.tandem.api.v1.BoundaryCategory;
import app.tandem.api.v1.ChangeBoundaryRequest;
import app.tandem.api.v1.CompareSafetyPlanVersionsRequest;
import app.tandem.api.v1.CompleteRelapseResponseTaskRequest;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.DeadLetterRequest;
import app.tandem.api.v1.DiscloseLapseRequest;
import app.tandem.api.v1.EditSafetyPlanSectionRequest;
import app.tandem.api.v1.ExportMyDataRequest;
import app.tandem.api.v1.GetBoundaryHistoryRequest;
import app.tandem.api.v1.GetCoupleRequest;
import app.tandem.api.v1.GetEntryHistoryRequest;
import app.tandem.api.v1.GetGoalsRequest;
import app.tandem.api.v1.ConfirmContactRequest;
import app.tandem.api.v1.ContactChannel;
import app.tandem.api.v1.GetPreferencesRequest;
import app.tandem.api.v1.GetSafetyPlanHistoryRequest;
import app.tandem.api.v1.GetSafetyPlanRequest;
import app.tandem.api.v1.GetStatsRequest;
import app.tandem.api.v1.GoalKind;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.LeaveCoupleRequest;
import app.tandem.api.v1.ListAuditLogRequest;
import app.tandem.api.v1.ListBoundariesRequest;
import app.tandem.api.v1.ListDeadLettersRequest;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.ListProcessorsRequest;
import app.tandem.api.v1.ListRelapseResponseTasksRequest;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.MarkReadRequest;
import app.tandem.api.v1.NotificationPreferences;
import app.tandem.api.v1.ProposeBoundaryRequest;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordWeeklyReviewRequest;
import app.tandem.api.v1.RelapseResponseStep;
import app.tandem.api.v1.RelapseRole;
import app.tandem.api.v1.RelapseTimeframe;
import app.tandem.api.v1.RequestSupportRequest;
import app.tandem.api.v1.ResetProcessorRequest;
import app.tandem.api.v1.RespondToBoundaryRequest;
import app.tandem.api.v1.ReviseBoundaryRequest;
import app.tandem.api.v1.Role;
import app.tandem.api.v1.SafetyPlanSection;
import app.tandem.api.v1.SetGoalRequest;
import app.tandem.api.v1.SnoozePartnerRequest;
import app.tandem.api.v1.Visibility;
import app.tandem.api.v1.WatchNotificationsRequest;
import app.tandem.api.v1.WeeklyReview;
import app.tandem.platform.grpc.PublicApi;
import app.tandem.platform.grpc.Timestamps;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import static io.grpc.Status.Code.FAILED_PRECONDITION;
import static io.grpc.Status.Code.NOT_FOUND;
import static io.grpc.Status.Code.OK;
import static io.grpc.Status.Code.PERMISSION_DENIED;
import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every public RPC, read from the API's descriptors, called through the gateway by each kind of caller: nobody, a
 * partner of another couple, a partner, a former partner, a counselor and an operator. Each gets the answer written
 * here, and an RPC without a row fails the build.
 */
@ExtendWith(EmbeddedTandem.class)
class AuthorizationMatrixTest {

    enum Caller { NO_TOKEN, ANOTHER_COUPLES_PARTNER, PARTNER, FORMER_PARTNER, COUNSELOR, OPERATOR }

    /** What a call is about: a couple and the person acting in it (a partner, a former one, or someone else). */
    record Target(CoupleScene couple, GatewayClient person) {
        String personId() {
            return person.personId;
        }
    }

    /** One RPC: the request each caller sends and the status each must get. */
    record Row(String rpc, Function<Target, Message> request, Map<Caller, Status.Code> expected) {
    }

    private static TandemUnderTest tandem;
    private static CoupleScene ours;
    private static CoupleScene left;
    private static GatewayClient stranger;
    private static GatewayClient counselor;
    private static GatewayClient operator;
    private static GatewayClient client;
    private static final Map<String, Row> ROWS = new LinkedHashMap<>();

    /** For the partners' APIs: nobody, counselors and operators are refused; the rest depends on the RPC. */
    private static void partnerRpc(String rpc, Function<Target, Message> request, Status.Code anotherCouplesPartner, Status.Code partner,
                                   Status.Code formerPartner) {
        Map<Caller, Status.Code> expected = new EnumMap<>(Caller.class);
        expected.put(Caller.NO_TOKEN, UNAUTHENTICATED);
        expected.put(Caller.ANOTHER_COUPLES_PARTNER, anotherCouplesPartner);
        expected.put(Caller.PARTNER, partner);
        expected.put(Caller.FORMER_PARTNER, formerPartner);
        expected.put(Caller.COUNSELOR, PERMISSION_DENIED);
        expected.put(Caller.OPERATOR, PERMISSION_DENIED);
        ROWS.put(rpc, new Row(rpc, request, expected));
    }

    /** For the counselors' API: only counselors; what each gets depends on the RPC. */
    private static void counselorRpc(String rpc, Function<Target, Message> request, Status.Code asCounselor) {
        Map<Caller, Status.Code> expected = new EnumMap<>(Caller.class);
        for (Caller caller : Caller.values()) {
            expected.put(caller, PERMISSION_DENIED);
        }
        expected.put(Caller.NO_TOKEN, UNAUTHENTICATED);
        expected.put(Caller.COUNSELOR, asCounselor);
        ROWS.put(rpc, new Row(rpc, request, expected));
    }

    private static void operatorRpc(String rpc, Function<Target, Message> request, Status.Code operator) {
        Map<Caller, Status.Code> expected = new EnumMap<>(Caller.class);
        for (Caller caller : Caller.values()) {
            expected.put(caller, PERMISSION_DENIED);
        }
        expected.put(Caller.NO_TOKEN, UNAUTHENTICATED);
        expected.put(Caller.OPERATOR, operator);
        ROWS.put(rpc, new Row(rpc, request, expected));
    }

    static {
        // couples: someone in a couple starts no second one; a former partner may start one
        partnerRpc("tandem.api.v1.CoupleService/CreateCouple", t -> CreateCoupleRequest.newBuilder().setIdempotencyKey(key()).build(),
                FAILED_PRECONDITION, FAILED_PRECONDITION, OK);
        partnerRpc("tandem.api.v1.CoupleService/JoinCouple", t -> JoinCoupleRequest.newBuilder().setIdempotencyKey(key())
                .setInviteCode(t.couple().inviteCode).build(), FAILED_PRECONDITION, OK, FAILED_PRECONDITION);
        partnerRpc("tandem.api.v1.CoupleService/GetCouple", t -> GetCoupleRequest.newBuilder().setCoupleId(t.couple().id).build(),
                PERMISSION_DENIED, OK, PERMISSION_DENIED);
        // the partner's leave is tried on a couple of its own (below), so the others keep theirs
        partnerRpc("tandem.api.v1.CoupleService/LeaveCouple", t -> LeaveCoupleRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(t.couple().id).build(), PERMISSION_DENIED, OK, OK);

        // the journal: a former partner keeps, reads, amends (never to share) and retracts their own entries, and writes no new ones
        partnerRpc("tandem.api.v1.JournalService/RecordCheckIn", t -> RecordCheckInRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(t.couple().id).setMood(3).setCravingIntensity(2).build(), PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.JournalService/RecordWeeklyReview", t -> RecordWeeklyReviewRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(t.couple().id).setReview(WeeklyReview.newBuilder().setConfidence(3)).build(), PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.JournalService/AmendCheckIn", t -> AmendCheckInRequest.newBuilder().setIdempotencyKey(key())
                .setEntryId(t.couple().entryFor(t.person())).setMood(4).setCravingIntensity(1).build(), PERMISSION_DENIED, OK, OK);
        partnerRpc("tandem.api.v1.JournalService/RetractEntry", t -> app.tandem.api.v1.RetractEntryRequest.newBuilder().setIdempotencyKey(key())
                .setEntryId(t.couple().freshEntryFor(t.person())).build(), PERMISSION_DENIED, OK, OK);
        partnerRpc("tandem.api.v1.JournalService/GetEntryHistory", t -> GetEntryHistoryRequest.newBuilder()
                .setEntryId(t.couple().entryFor(t.person())).build(), PERMISSION_DENIED, OK, OK);
        partnerRpc("tandem.api.v1.JournalService/ListTimeline", t -> ListTimelineRequest.newBuilder().setCoupleId(t.couple().id).build(),
                PERMISSION_DENIED, OK, OK);
        partnerRpc("tandem.api.v1.JournalService/DiscloseLapse", t -> DiscloseLapseRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(t.couple().id).build(), PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.JournalService/RequestSupport", t -> RequestSupportRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(t.couple().id).build(), PERMISSION_DENIED, OK, PERMISSION_DENIED);
        // goals and stats are each person's own, whoever they are
        partnerRpc("tandem.api.v1.JournalService/SetGoal", t -> SetGoalRequest.newBuilder().setIdempotencyKey(key())
                .setKind(GoalKind.ABSTINENCE).build(), OK, OK, OK);
        partnerRpc("tandem.api.v1.JournalService/GetGoals", t -> GetGoalsRequest.getDefaultInstance(), OK, OK, OK);
        partnerRpc("tandem.api.v1.JournalService/GetStats", t -> GetStatsRequest.getDefaultInstance(), OK, OK, OK);

        // notifications are each person's own
        partnerRpc("tandem.api.v1.NotificationService/WatchNotifications", t -> WatchNotificationsRequest.getDefaultInstance(), OK, OK, OK);
        partnerRpc("tandem.api.v1.NotificationService/ListNotifications", t -> ListNotificationsRequest.getDefaultInstance(), OK, OK, OK);
        partnerRpc("tandem.api.v1.NotificationService/MarkRead", t -> MarkReadRequest.newBuilder().setUpToCursor("1").build(), OK, OK, OK);
        // a snooze changes only the caller's own prompts, whichever couple it names
        partnerRpc("tandem.api.v1.NotificationService/SnoozePartner", t -> SnoozePartnerRequest.newBuilder().setCoupleId(t.couple().id)
                .setMinutes(5).build(), OK, OK, OK);
        partnerRpc("tandem.api.v1.NotificationService/GetPreferences", t -> GetPreferencesRequest.getDefaultInstance(), OK, OK, OK);
        partnerRpc("tandem.api.v1.NotificationService/SetPreferences", t -> NotificationPreferences.newBuilder().setDailyCap(5).build(),
                OK, OK, OK);
        partnerRpc("tandem.api.v1.NotificationService/ConfirmContact", t -> ConfirmContactRequest.newBuilder()
                .setChannel(ContactChannel.CONTACT_CHANNEL_WEBHOOK).setCode("ABCD-EFGH").build(),
                FAILED_PRECONDITION, FAILED_PRECONDITION, FAILED_PRECONDITION); // nobody here set a webhook

        // plans: someone outside a couple is told its boundaries and tasks do not exist; a former partner is refused, but
        // keeps reading and editing their own safety-plan section (and nothing of the other's)
        partnerRpc("tandem.api.v1.PlansService/ProposeBoundary", t -> proposal(t.couple().id), PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/AcceptBoundary", t -> answer(t.couple().freshProposalAwaitingA()), NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/DeclineBoundary", t -> answer(t.couple().freshProposalAwaitingA()), NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/ReviseBoundary", t -> ReviseBoundaryRequest.newBuilder().setIdempotencyKey(key())
                .setBoundaryId(t.couple().freshProposalAwaitingA()).setExpectedVersion(1).setText("Talk first, then decide")
                .setCategory(BoundaryCategory.BOUNDARY_COMMUNICATION).setAppliesTo(BoundaryAppliesTo.BOUNDARY_APPLIES_TO_BOTH_OF_US).build(),
                NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/PauseBoundary", t -> change(t.couple().freshActiveBoundary()), NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/ResumeBoundary", t -> change(t.couple().freshPausedBoundary()), NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/RetireBoundary", t -> change(t.couple().freshActiveBoundary()), NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/ListBoundaries", t -> ListBoundariesRequest.newBuilder().setCoupleId(t.couple().id).build(),
                PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/GetBoundaryHistory", t -> GetBoundaryHistoryRequest.newBuilder()
                .setBoundaryId(t.couple().activeBoundary()).build(), NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/EditSafetyPlanSection", t -> EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(t.couple().id).setSection(SafetyPlanSection.newBuilder().addCopingStrategies("A walk round the block")).build(),
                PERMISSION_DENIED, OK, OK);
        partnerRpc("tandem.api.v1.PlansService/AcknowledgeSafetyPlan", t -> AcknowledgeSafetyPlanRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(t.couple().id).setVersion(t.couple().freshDraftVersion()).build(), PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/GetSafetyPlan", t -> GetSafetyPlanRequest.newBuilder().setCoupleId(t.couple().id).build(),
                PERMISSION_DENIED, OK, OK);
        partnerRpc("tandem.api.v1.PlansService/GetSafetyPlanHistory", t -> GetSafetyPlanHistoryRequest.newBuilder()
                .setCoupleId(t.couple().id).build(), PERMISSION_DENIED, OK, OK);
        partnerRpc("tandem.api.v1.PlansService/CompareSafetyPlanVersions", t -> CompareSafetyPlanVersionsRequest.newBuilder()
                .setCoupleId(t.couple().id).setFromVersion(1).setToVersion(2).build(), PERMISSION_DENIED, OK, OK);
        partnerRpc("tandem.api.v1.PlansService/ListRelapseResponseTasks", t -> ListRelapseResponseTasksRequest.newBuilder()
                .setCoupleId(t.couple().id).build(), PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/CompleteRelapseResponseTask", t -> CompleteRelapseResponseTaskRequest.newBuilder()
                .setIdempotencyKey(key()).setLapseId(t.couple().lapseOfA()).setTaskId("immediately-1").build(),
                PERMISSION_DENIED, OK, PERMISSION_DENIED);

        // conversations, victories and needs: a stranger is told a conversation, victory or need does not exist; a former
        // partner is refused, as for boundaries
        partnerRpc("tandem.api.v1.PlansService/PrepareConversation", t -> preparing(t.couple().id), PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/InviteToConversation", t -> invitation(t.couple().freshConversationOfA()),
                NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/AnswerConversation", t -> AnswerConversationRequest.newBuilder().setIdempotencyKey(key())
                .setConversationId(t.couple().freshInvitationToA()).setAnswer(ConversationAnswer.CONVERSATION_ACCEPT).build(),
                NOT_FOUND, OK, PERMISSION_DENIED);
        // the agreed time has not come yet
        partnerRpc("tandem.api.v1.PlansService/RecordAgreedSteps", t -> RecordAgreedStepsRequest.newBuilder().setIdempotencyKey(key())
                .setConversationId(t.couple().agreedConversation()).addSteps(AgreedStep.newBuilder().setText("Call the clinic")
                        .setOwner(StepOwner.STEP_OWNER_ME).setDueAt(Timestamps.of(tandem.clock.instant().plus(Duration.ofDays(7))))).build(),
                NOT_FOUND, FAILED_PRECONDITION, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/CompleteConversationStep", t -> CompleteConversationStepRequest.newBuilder()
                .setIdempotencyKey(key()).setConversationId(t.couple().heldConversation()).setStepId("step-1").build(),
                NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/ListConversations", t -> ListConversationsRequest.newBuilder().setCoupleId(t.couple().id).build(),
                PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/RecordVictory", t -> victory(t.couple().id, Visibility.SHARED_WITH_PARTNER),
                PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/AcknowledgeVictory", t -> AcknowledgeVictoryRequest.newBuilder().setIdempotencyKey(key())
                .setVictoryId(t.couple().freshSharedVictoryOfB()).setReaction(VictoryReaction.REACTION_WELL_DONE).build(),
                NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/ListVictories", t -> ListVictoriesRequest.newBuilder().setCoupleId(t.couple().id).build(),
                PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/ExpressNeed", t -> need(t.couple().id), PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/AnswerNeed", t -> AnswerNeedRequest.newBuilder().setIdempotencyKey(key())
                .setNeedId(t.couple().freshNeedOfB()).setAnswer(NeedAnswer.NEED_I_CAN_DO_THAT).build(), NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/ListNeeds", t -> ListNeedsRequest.newBuilder().setCoupleId(t.couple().id).build(),
                PERMISSION_DENIED, OK, PERMISSION_DENIED);
        // shared goals and the week together: the couple's two partners while it is shared, nobody else
        partnerRpc("tandem.api.v1.PlansService/ProposeSharedGoal", t -> goal(t.couple().id), PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/AnswerSharedGoal", t -> AnswerSharedGoalRequest.newBuilder().setIdempotencyKey(key())
                .setGoalId(t.couple().goalProposedByB()).setAnswer(SharedGoalAnswer.SHARED_GOAL_AGREE).build(), NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/MarkSharedGoalDone", t -> MarkSharedGoalDoneRequest.newBuilder().setIdempotencyKey(key())
                .setGoalId(t.couple().agreedGoal()).build(), NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/RetireSharedGoal", t -> RetireSharedGoalRequest.newBuilder().setIdempotencyKey(key())
                .setGoalId(t.couple().goalProposedByA()).build(), NOT_FOUND, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/ListSharedGoals", t -> ListSharedGoalsRequest.newBuilder().setCoupleId(t.couple().id).build(),
                PERMISSION_DENIED, OK, PERMISSION_DENIED);
        partnerRpc("tandem.api.v1.PlansService/GetWeekTogether", t -> GetWeekTogetherRequest.newBuilder().setCoupleId(t.couple().id).build(),
                PERMISSION_DENIED, OK, PERMISSION_DENIED);

        // consents are each partner's own, whichever couple they are or were in
        partnerRpc("tandem.api.v1.ConsentService/PrepareConsent", t -> preparation(invitation()), OK, OK, OK);
        partnerRpc("tandem.api.v1.ConsentService/SignConsent", t -> {
            Consent draft = partnerOf(t).consents().prepareConsent(preparation(invitation()));
            return SignConsentRequest.newBuilder().setConsentId(draft.getConsentId()).setVersion(draft.getVersion())
                    .setTextSha256(draft.getTextSha256()).build();
        }, OK, OK, OK);
        partnerRpc("tandem.api.v1.ConsentService/RevokeConsent", t -> RevokeConsentRequest.newBuilder()
                .setConsentId(signedConsent(partnerOf(t)).getConsentId()).build(), OK, OK, OK);
        partnerRpc("tandem.api.v1.ConsentService/ListConsents", t -> ListConsentsRequest.getDefaultInstance(), OK, OK, OK);
        partnerRpc("tandem.api.v1.ConsentService/ListDisclosures", t -> ListDisclosuresRequest.getDefaultInstance(), OK, OK, OK);

        // counselors: their invitations, clients, stream and summaries; nothing of anyone who did not consent to them
        counselorRpc("tandem.api.v1.CareService/CreateClientInvitation", t -> CreateClientInvitationRequest.newBuilder()
                .setIdempotencyKey(key()).build(), OK);
        counselorRpc("tandem.api.v1.CareService/ListClients", t -> ListClientsRequest.getDefaultInstance(), OK);
        counselorRpc("tandem.api.v1.CareService/WatchCareEvents", t -> WatchCareEventsRequest.getDefaultInstance(), OK);
        counselorRpc("tandem.api.v1.CareService/GetClientSummary", t -> GetClientSummaryRequest.newBuilder()
                .setClientPersonId(client().personId).build(), OK);
        counselorRpc("tandem.api.v1.CareService/EndTreatment", t -> EndTreatmentRequest.newBuilder()
                .setClientPersonId(client().personId).build(), OK);

        // operators: the processors and the audit log of any service; nobody else
        operatorRpc("tandem.api.v1.OperatorService/ListProcessors", t -> ListProcessorsRequest.newBuilder().setService("journal-service").build(), OK);
        operatorRpc("tandem.api.v1.OperatorService/ResetProcessor", t -> ResetProcessorRequest.newBuilder().setService("plans-service")
                .setName("no-such-processor").build(), NOT_FOUND);
        operatorRpc("tandem.api.v1.OperatorService/ListAuditLog", t -> ListAuditLogRequest.newBuilder().setService("notifications-service").build(), OK);
        operatorRpc("tandem.api.v1.OperatorService/ListDeadLetters", t -> ListDeadLettersRequest.newBuilder().setService("plans-service").build(), OK);
        operatorRpc("tandem.api.v1.OperatorService/RetryDeadLetter", t -> DeadLetterRequest.newBuilder().setService("plans-service")
                .setDeadLetterId("no-such-letter").build(), NOT_FOUND);
        operatorRpc("tandem.api.v1.OperatorService/DiscardDeadLetter", t -> DeadLetterRequest.newBuilder().setService("journal-service")
                .setDeadLetterId("no-such-letter").build(), NOT_FOUND);
        // erasure: every partner may read the terms; a confirmation of other terms erases nobody
        partnerRpc("tandem.api.v1.ErasureService/PrepareErasure", t -> app.tandem.api.v1.PrepareErasureRequest.getDefaultInstance(), OK, OK, OK);
        partnerRpc("tandem.api.v1.ErasureService/EraseMe", t -> app.tandem.api.v1.EraseMeRequest.newBuilder().setIdempotencyKey(key())
                .setTextSha256("0".repeat(64)).build(), FAILED_PRECONDITION, FAILED_PRECONDITION, FAILED_PRECONDITION);
        partnerRpc("tandem.api.v1.ErasureService/GetMyErasure", t -> app.tandem.api.v1.GetMyErasureRequest.getDefaultInstance(),
                NOT_FOUND, NOT_FOUND, NOT_FOUND);
        operatorRpc("tandem.api.v1.ErasureDesk/ErasePerson", t -> app.tandem.api.v1.ErasePersonRequest.newBuilder()
                .setPersonId("nobody-" + key()).setRequestReference("case 1").setIdempotencyKey(key()).build(), OK);
        operatorRpc("tandem.api.v1.ErasureDesk/GetErasure", t -> app.tandem.api.v1.GetErasureRequest.newBuilder()
                .setErasureId(java.util.UUID.randomUUID().toString()).build(), NOT_FOUND);
        // a person's own data: partners, former partners and counselors alike take theirs; operators hold none
        Map<Caller, Status.Code> everyPerson = new EnumMap<>(Caller.class);
        for (Caller caller : Caller.values()) {
            everyPerson.put(caller, OK);
        }
        everyPerson.put(Caller.NO_TOKEN, UNAUTHENTICATED);
        everyPerson.put(Caller.OPERATOR, PERMISSION_DENIED);
        ROWS.put("tandem.api.v1.PrivacyService/ExportMyData", new Row("tandem.api.v1.PrivacyService/ExportMyData",
                t -> ExportMyDataRequest.newBuilder().setService("journal-service").build(), everyPerson));

        operatorRpc("tandem.api.v1.OperatorService/ExportEvents", t -> app.tandem.api.v1.ExportEventsRequest.newBuilder()
                .setService("journal-service").setCoupleId(t.couple().id).build(), OK);
    }

    @BeforeAll
    static void scene() {
        tandem = EmbeddedTandem.get();
        ours = CoupleScene.shared(tandem, "alex", "sam");
        CoupleScene.shared(tandem, "casey", "drew");
        stranger = CoupleScene.lastFounder;
        left = CoupleScene.leftBy(tandem, "fran", "eli");
        counselor = tandem.withRoles("dana", Set.of(Role.ROLE_COUNSELOR), "clinic-north");
        operator = tandem.withRoles("olive", Set.of(Role.ROLE_OPERATOR), "");
    }

    @Test
    void everyPublicRpcHasARow() {
        Set<String> rpcs = new TreeSet<>();
        PublicApi.services().forEach(service -> service.getMethods().forEach(m -> rpcs.add(m.getFullMethodName())));
        assertThat(new TreeSet<>(ROWS.keySet())).as("the matrix names every public RPC, and only those").isEqualTo(rpcs);
    }

    @Test
    void everyCallerGetsTheAnswerOfTheirRole() {
        Map<String, MethodDescriptor<?, ?>> methods = new LinkedHashMap<>();
        PublicApi.services().forEach(service -> service.getMethods().forEach(m -> methods.put(m.getFullMethodName(), m)));
        List<String> wrong = new ArrayList<>();
        for (Row row : ROWS.values()) {
            MethodDescriptor<?, ?> method = methods.get(row.rpc());
            for (Caller caller : Caller.values()) {
                Status.Code answer = answerTo(method, row, caller);
                if (answer != row.expected().get(caller)) {
                    wrong.add(row.rpc() + " by " + caller + ": " + answer + ", expected " + row.expected().get(caller));
                }
            }
        }
        assertThat(wrong).as("calls answered otherwise than the matrix says").isEmpty();
    }

    /**
     * Ids tell a stranger nothing: asking about a couple, entry, boundary or lapse that does not exist gets the answer
     * one that exists but is not theirs gets, so no one learns whether someone is in a couple.
     */
    @Test
    void aStrangerGetsOneAnswerForWhatIsNotTheirsAndForWhatDoesNotExist() {
        Map<String, MethodDescriptor<?, ?>> methods = new LinkedHashMap<>();
        PublicApi.services().forEach(service -> service.getMethods().forEach(m -> methods.put(m.getFullMethodName(), m)));
        String nowhere = java.util.UUID.randomUUID().toString();
        CoupleScene nobodys = new CoupleScene(nowhere, "", ours.a, ours.b, true).withMade(Map.of(
                "entry of a", nowhere, "fresh entry of a", nowhere, "fresh proposal", nowhere, "fresh active boundary", nowhere,
                "fresh paused boundary", nowhere, "active boundary", nowhere, "lapse of a", nowhere, "fresh draft", "2"))
                .withMade(talks(nowhere, nowhere, nowhere));
        List<String> differing = new ArrayList<>();
        for (Row row : ROWS.values()) {
            if (row.expected().get(Caller.ANOTHER_COUPLES_PARTNER) == OK || row.rpc().contains("OperatorService")
                    || row.rpc().endsWith("/JoinCouple")) {
                continue; // about the caller's own data, or an invite code rather than an id
            }
            MethodDescriptor<?, ?> method = methods.get(row.rpc());
            CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS).withCallCredentials(stranger.credentials());
            Status.Code notTheirs = call(tandem.gateway, method, row.request().apply(new Target(ours, stranger)), options);
            Status.Code nowhereAtAll = call(tandem.gateway, method, row.request().apply(new Target(nobodys, stranger)), options);
            if (notTheirs != nowhereAtAll) {
                differing.add(row.rpc() + ": " + notTheirs + " for another couple's, " + nowhereAtAll + " for none");
            }
        }
        assertThat(differing).isEmpty();
    }

    /**
     * Every kind of aggregate shares a service's event store, so an id may name a lapse where a boundary is expected or
     * a couple where an entry is: the partner gets the answer an id of nothing at all gets, never a failure from
     * rebuilding one kind from another's events.
     */
    @Test
    void anIdOfAnotherKindIsAnsweredAsOneThatDoesNotExist() {
        Map<String, MethodDescriptor<?, ?>> methods = new LinkedHashMap<>();
        PublicApi.services().forEach(service -> service.getMethods().forEach(m -> methods.put(m.getFullMethodName(), m)));
        String lapse = ours.lapseOfA();
        String boundary = ours.activeBoundary();
        String entry = ours.entryFor(ours.a);
        CoupleScene mixedUp = new CoupleScene(ours.id, "", ours.a, ours.b, true).withMade(Map.of(
                "entry of a", ours.id, "fresh entry of a", lapse, "fresh proposal", lapse, "fresh active boundary", entry,
                "fresh paused boundary", ours.id, "active boundary", lapse, "lapse of a", boundary, "fresh draft", "2"))
                .withMade(talks(lapse, boundary, ours.heldConversation()));
        String nowhere = java.util.UUID.randomUUID().toString();
        CoupleScene nothing = new CoupleScene(ours.id, "", ours.a, ours.b, true).withMade(Map.of(
                "entry of a", nowhere, "fresh entry of a", nowhere, "fresh proposal", nowhere, "fresh active boundary", nowhere,
                "fresh paused boundary", nowhere, "active boundary", nowhere, "lapse of a", nowhere, "fresh draft", "2"))
                .withMade(talks(nowhere, nowhere, nowhere));
        List<String> differing = new ArrayList<>();
        for (Row row : ROWS.values()) {
            if (row.rpc().contains("OperatorService") || row.rpc().contains("CoupleService/") || row.rpc().contains("PrivacyService/")) {
                continue; // ids of no aggregate, the couple's own life, which the rows above cover, or the caller's own data
            }
            MethodDescriptor<?, ?> method = methods.get(row.rpc());
            CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS).withCallCredentials(ours.a.credentials());
            Status.Code otherKind = call(tandem.gateway, method, row.request().apply(new Target(mixedUp, ours.a)), options);
            Status.Code none = call(tandem.gateway, method, row.request().apply(new Target(nothing, ours.a)), options);
            if (otherKind != none) {
                differing.add(row.rpc() + ": " + otherKind + " for an id of another kind, " + none + " for an id of nothing");
            }
        }
        assertThat(differing).isEmpty();
    }

    private static Status.Code answerTo(MethodDescriptor<?, ?> method, Row row, Caller caller) {
        // the partner's leave dissolves a couple of its own, so every other row keeps the shared one
        CoupleScene couple = caller == Caller.FORMER_PARTNER ? left
                : caller == Caller.PARTNER && row.rpc().endsWith("/LeaveCouple") ? CoupleScene.shared(tandem, "lee", "max") : ours;
        GatewayClient person = switch (caller) {
            case NO_TOKEN, PARTNER, FORMER_PARTNER -> couple.a;
            case ANOTHER_COUPLES_PARTNER -> stranger;
            case COUNSELOR -> counselor;
            case OPERATOR -> operator;
        };
        Target target = new Target(couple, person);
        Message request = row.request().apply(target);
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
        if (caller != Caller.NO_TOKEN) {
            options = options.withCallCredentials(target.person().credentials());
        }
        return call(tandem.gateway, method, request, options);
    }

    /** The status of one call; a stream that stays open is answered OK and hung up on. */
    @SuppressWarnings("unchecked")
    private static Status.Code call(ManagedChannel channel, MethodDescriptor<?, ?> method, Message request, CallOptions options) {
        MethodDescriptor<Message, Message> rpc = (MethodDescriptor<Message, Message>) method;
        if (rpc.getType() == MethodDescriptor.MethodType.UNARY) {
            try {
                ClientCalls.blockingUnaryCall(channel, rpc, options, request);
                return OK;
            } catch (StatusRuntimeException e) {
                return e.getStatus().getCode();
            }
        }
        CompletableFuture<Status.Code> answer = new CompletableFuture<>();
        ClientCall<Message, Message> stream = channel.newCall(rpc, options);
        stream.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(Message message) {
                answer.complete(OK);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                answer.complete(status.getCode());
            }
        }, new Metadata());
        stream.request(1);
        stream.sendMessage(request);
        stream.halfClose();
        try {
            return answer.get(2, TimeUnit.SECONDS);
        } catch (TimeoutException stillOpen) {
            return OK;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            stream.cancel("answered", null);
        }
    }

    static String key() {
        return GatewayClient.key();
    }

    /** A fresh invitation code of the matrix's counselor. */
    static String invitation() {
        return counselor.care().createClientInvitation(CreateClientInvitationRequest.newBuilder().setIdempotencyKey(key()).build()).getCode();
    }

    static PrepareConsentRequest preparation(String invitationCode) {
        return PrepareConsentRequest.newBuilder().setIdempotencyKey(key()).setInvitationCode(invitationCode)
                .setPurpose(ConsentPurpose.CARE_COORDINATION).addScopes(DisclosureScope.SHARED_CHECK_INS)
                .setExpiresAt(Timestamps.of(tandem.clock.instant().plus(Duration.ofDays(30)))).build();
    }

    /** The partner a consent row is about: the caller when a partner, a partner of the couple otherwise. */
    static GatewayClient partnerOf(Target t) {
        return t.person() == counselor || t.person() == operator ? t.couple().b : t.person();
    }

    static Consent signedConsent(GatewayClient partner) {
        Consent draft = partner.consents().prepareConsent(preparation(invitation()));
        return partner.consents().signConsent(SignConsentRequest.newBuilder().setConsentId(draft.getConsentId())
                .setVersion(draft.getVersion()).setTextSha256(draft.getTextSha256()).build());
    }

    /** Someone who consented to the matrix's counselor. */
    static synchronized GatewayClient client() {
        if (client == null) {
            client = tandem.person("gia");
            signedConsent(client);
        }
        return client;
    }

    static ProposeBoundaryRequest proposal(String coupleId) {
        return ProposeBoundaryRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId).setText("No drinking at home")
                .setCategory(BoundaryCategory.BOUNDARY_HOME_AND_VISITORS).setAppliesTo(BoundaryAppliesTo.BOUNDARY_APPLIES_TO_BOTH_OF_US).build();
    }

    static RespondToBoundaryRequest answer(String boundaryId) {
        return RespondToBoundaryRequest.newBuilder().setIdempotencyKey(key()).setBoundaryId(boundaryId).setVersion(1).build();
    }

    /** Ids standing in for a scene's conversations, victory, need and goals (the need's id for those). */
    static Map<String, String> talks(String conversation, String victory, String need) {
        return Map.of("fresh conversation of a", conversation, "fresh invitation to a", conversation, "agreed conversation", conversation,
                "held conversation", conversation, "fresh shared victory of b", victory, "fresh need of b", need,
                "goal proposed by b", need, "agreed goal", need, "goal proposed by a", need);
    }

    static PrepareConversationRequest preparing(String coupleId) {
        return PrepareConversationRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId)
                .setPreparation(ConversationPreparation.newBuilder().addIntentions(ConversationIntention.INTENTION_UNDERSTAND)
                        .addPoints("How the week felt")).build();
    }

    /** An invitation for a minute ahead: the held conversation moves the clock past it. */
    static InviteToConversationRequest invitation(String conversationId) {
        return invitation(conversationId, Duration.ofMinutes(1));
    }

    static InviteToConversationRequest invitation(String conversationId, Duration ahead) {
        return InviteToConversationRequest.newBuilder().setIdempotencyKey(key()).setConversationId(conversationId)
                .setProposedTime(Timestamps.of(tandem.clock.instant().plus(ahead))).setPlace("Kitchen").build();
    }

    static RecordVictoryRequest victory(String coupleId, Visibility visibility) {
        return RecordVictoryRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId)
                .setKind(VictoryKind.VICTORY_MEETING_ATTENDED).setVisibility(visibility).build();
    }

    static ProposeSharedGoalRequest goal(String coupleId) {
        return ProposeSharedGoalRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId)
                .setKind(SharedGoalKind.SHARED_GOAL_ACTIVITY_TOGETHER).setTitle("A walk on Sundays").build();
    }

    static ExpressNeedRequest need(String coupleId) {
        return ExpressNeedRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId).setKind(NeedKind.NEED_FROM_YOU_THIS_WEEK)
                .setText("An evening out together").build();
    }

    static ChangeBoundaryRequest change(String boundaryId) {
        return ChangeBoundaryRequest.newBuilder().setIdempotencyKey(key()).setBoundaryId(boundaryId).build();
    }

    /**
     * A couple and what it holds, made on demand while it is shared. Partner {@code a} is the one who acts in the
     * matrix; in a couple {@code a} left, everything was made before the leave and is handed out again.
     */
    static final class CoupleScene {
        static GatewayClient lastFounder;

        final String id;
        final String inviteCode;
        final GatewayClient a;
        final GatewayClient b;
        private final boolean frozen;
        private final Map<String, String> made = new LinkedHashMap<>();

        private CoupleScene(String id, String inviteCode, GatewayClient a, GatewayClient b, boolean frozen) {
            this.id = id;
            this.inviteCode = inviteCode;
            this.a = a;
            this.b = b;
            this.frozen = frozen;
        }

        static CoupleScene shared(TandemUnderTest tandem, String founder, String partner) {
            GatewayClient a = tandem.person(founder);
            GatewayClient b = tandem.person(partner);
            var created = a.createCouple();
            b.join(created.getInviteCode());
            lastFounder = a;
            return new CoupleScene(created.getCoupleId(), created.getInviteCode(), a, b, false);
        }

        /** A couple {@code leaver} left after writing in it, proposing, planning and disclosing a lapse. */
        static CoupleScene leftBy(TandemUnderTest tandem, String leaver, String stayer) {
            GatewayClient b = tandem.person(stayer);
            GatewayClient a = tandem.person(leaver);
            var created = b.createCouple();
            a.join(created.getInviteCode());
            CoupleScene scene = new CoupleScene(created.getCoupleId(), created.getInviteCode(), a, b, false);
            scene.entryFor(a);
            scene.freshEntryFor(a);
            scene.freshProposalAwaitingA();
            scene.freshActiveBoundary();
            scene.freshPausedBoundary();
            scene.activeBoundary();
            scene.freshDraftVersion();
            scene.lapseOfA();
            scene.freshConversationOfA();
            scene.freshInvitationToA();
            scene.agreedConversation();
            scene.heldConversation();
            scene.freshSharedVictoryOfB();
            scene.freshNeedOfB();
            scene.goalProposedByB();
            scene.agreedGoal();
            scene.goalProposedByA();
            a.couples().leaveCouple(LeaveCoupleRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(scene.id).build());
            await().atMost(Duration.ofSeconds(30)).until(() -> b.plans().getSafetyPlan(
                    GetSafetyPlanRequest.newBuilder().setCoupleId(scene.id).build()).getCoupleDissolved());
            return new CoupleScene(scene.id, scene.inviteCode, a, b, true).withMade(scene.made);
        }

        private CoupleScene withMade(Map<String, String> earlier) {
            made.putAll(earlier);
            return this;
        }

        private String once(String what, java.util.function.Supplier<String> make) {
            if (frozen) {
                return made.getOrDefault(what, made.get(what.replace("fresh ", "")));
            }
            if (what.startsWith("fresh ")) {
                String value = make.get();
                made.putIfAbsent(what, value);
                return value;
            }
            return made.computeIfAbsent(what, k -> make.get());
        }

        /** The person's own shared check-in here, or {@code a}'s for anyone not in the couple. */
        String entryFor(GatewayClient person) {
            GatewayClient author = person == b ? b : a;
            return once("entry of " + (author == a ? "a" : "b"), () -> author.checkIn(id, Visibility.SHARED_WITH_PARTNER, "ours"));
        }

        String freshEntryFor(GatewayClient person) {
            GatewayClient author = person == b ? b : a;
            return once("fresh entry of " + (author == a ? "a" : "b"), () -> author.checkIn(id, Visibility.PRIVATE, "mine"));
        }

        private void awaitPlansKnowTheCouple() {
            once("plans know", () -> {
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                        b.plans().listBoundaries(ListBoundariesRequest.newBuilder().setCoupleId(id).build()) != null);
                return "yes";
            });
        }

        String freshProposalAwaitingA() {
            awaitPlansKnowTheCouple();
            return once("fresh proposal", () -> b.plans().proposeBoundary(proposal(id)).getBoundaryId());
        }

        String freshActiveBoundary() {
            return once("fresh active boundary", () -> {
                String boundary = freshProposalAwaitingA();
                a.plans().acceptBoundary(answer(boundary));
                return boundary;
            });
        }

        String freshPausedBoundary() {
            return once("fresh paused boundary", () -> {
                String boundary = freshActiveBoundary();
                a.plans().pauseBoundary(change(boundary));
                return boundary;
            });
        }

        String activeBoundary() {
            return once("active boundary", this::freshActiveBoundary);
        }

        /** A draft after an agreed version 1: both partners' steps, acknowledged, then edited again. */
        int freshDraftVersion() {
            awaitPlansKnowTheCouple();
            once("agreed plan", () -> {
                edit(a, RelapseRole.RELAPSE_ROLE_IF_I_LAPSE, "Tell my partner");
                edit(b, RelapseRole.RELAPSE_ROLE_IF_MY_PARTNER_LAPSES, "Stay calm and stay");
                for (GatewayClient partner : List.of(a, b)) {
                    partner.plans().acknowledgeSafetyPlan(AcknowledgeSafetyPlanRequest.newBuilder().setIdempotencyKey(key())
                            .setCoupleId(id).setVersion(1).build());
                }
                return "1";
            });
            return Integer.parseInt(once("fresh draft", () -> {
                edit(b, RelapseRole.RELAPSE_ROLE_IF_MY_PARTNER_LAPSES, "Stay calm, stay, call " + key().substring(0, 4));
                return Integer.toString(b.plans().getSafetyPlan(GetSafetyPlanRequest.newBuilder().setCoupleId(id).build())
                        .getDraft().getVersion());
            }));
        }

        private void edit(GatewayClient partner, RelapseRole role, String step) {
            partner.plans().editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(id)
                    .setSection(SafetyPlanSection.newBuilder().addRelapseResponse(RelapseResponseStep.newBuilder()
                            .setTimeframe(RelapseTimeframe.RELAPSE_IMMEDIATELY).setRole(role).setText(step))).build());
        }

        String freshConversationOfA() {
            awaitPlansKnowTheCouple();
            return once("fresh conversation of a", () -> a.plans().prepareConversation(preparing(id)).getConversationId());
        }

        /** A conversation {@code b} prepared and invited {@code a} to. */
        String freshInvitationToA() {
            awaitPlansKnowTheCouple();
            return once("fresh invitation to a", () -> invitedByB(Duration.ofMinutes(1)));
        }

        private String invitedByB(Duration ahead) {
            String conversation = b.plans().prepareConversation(preparing(id)).getConversationId();
            b.plans().inviteToConversation(invitation(conversation, ahead));
            return conversation;
        }

        /** A conversation whose time {@code a} accepted, weeks ahead, whatever the other scenes do to the clock. */
        String agreedConversation() {
            awaitPlansKnowTheCouple();
            return once("agreed conversation", () -> {
                String conversation = invitedByB(Duration.ofDays(50));
                a.plans().answerConversation(AnswerConversationRequest.newBuilder().setIdempotencyKey(key())
                        .setConversationId(conversation).setAnswer(ConversationAnswer.CONVERSATION_ACCEPT).build());
                return conversation;
            });
        }

        /** A conversation held: the clock passed its time and {@code b} recorded a step {@code a} owns ("step-1"). */
        String heldConversation() {
            return once("held conversation", () -> {
                String conversation = freshInvitationToA();
                a.plans().answerConversation(AnswerConversationRequest.newBuilder().setIdempotencyKey(key())
                        .setConversationId(conversation).setAnswer(ConversationAnswer.CONVERSATION_ACCEPT).build());
                tandem.clock.advance(Duration.ofMinutes(2));
                b.plans().recordAgreedSteps(RecordAgreedStepsRequest.newBuilder().setIdempotencyKey(key()).setConversationId(conversation)
                        .addSteps(AgreedStep.newBuilder().setText("Call the clinic").setOwner(StepOwner.STEP_OWNER_MY_PARTNER)
                                .setDueAt(Timestamps.of(tandem.clock.instant().plus(Duration.ofDays(7))))).build());
                return conversation;
            });
        }

        String freshSharedVictoryOfB() {
            awaitPlansKnowTheCouple();
            return once("fresh shared victory of b", () -> b.plans().recordVictory(victory(id, Visibility.SHARED_WITH_PARTNER)).getVictoryId());
        }

        String freshNeedOfB() {
            awaitPlansKnowTheCouple();
            return once("fresh need of b", () -> b.plans().expressNeed(need(id)).getNeedId());
        }

        String goalProposedByB() {
            awaitPlansKnowTheCouple();
            return once("goal proposed by b", () -> b.plans().proposeSharedGoal(goal(id)).getGoalId());
        }

        String goalProposedByA() {
            awaitPlansKnowTheCouple();
            return once("goal proposed by a", () -> a.plans().proposeSharedGoal(goal(id)).getGoalId());
        }

        /** A goal {@code a} proposed and {@code b} agreed to. */
        String agreedGoal() {
            awaitPlansKnowTheCouple();
            return once("agreed goal", () -> {
                String goal = a.plans().proposeSharedGoal(goal(id)).getGoalId();
                b.plans().answerSharedGoal(AnswerSharedGoalRequest.newBuilder().setIdempotencyKey(key()).setGoalId(goal)
                        .setAnswer(SharedGoalAnswer.SHARED_GOAL_AGREE).build());
                return goal;
            });
        }

        /** A lapse {@code a} disclosed, once plans has given {@code a} its first task. */
        String lapseOfA() {
            awaitPlansKnowTheCouple();
            return once("lapse of a", () -> {
                String lapse = a.journal().discloseLapse(DiscloseLapseRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(id).build())
                        .getLapseId();
                await().atMost(Duration.ofSeconds(30)).until(() -> a.plans().listRelapseResponseTasks(
                        ListRelapseResponseTasksRequest.newBuilder().setCoupleId(id).build()).getTasksList().stream()
                        .anyMatch(task -> task.getLapseId().equals(lapse)));
                return lapse;
            });
        }
    }
}
