package app.tandem.plans.integration;

import app.tandem.api.v1.BoundaryCategory;
import app.tandem.events.v1.BoundaryAccepted;
import app.tandem.events.v1.BoundaryCrossed;
import app.tandem.events.v1.BoundaryDeclined;
import app.tandem.events.v1.BoundaryProposed;
import app.tandem.events.v1.BoundaryReviewDue;
import app.tandem.events.v1.RelapseFirstWeekFollowUpDue;
import app.tandem.events.v1.RelapsePlanReviewDue;
import app.tandem.events.v1.RelapseResponseEnded;
import app.tandem.events.v1.RelapseResponseStarted;
import app.tandem.events.v1.SafetyPlanAgreed;
import app.tandem.events.v1.SafetyPlanDraftChanged;
import app.tandem.api.v1.NeedAnswer;
import app.tandem.api.v1.NeedKind;
import app.tandem.api.v1.VictoryReaction;
import app.tandem.events.v1.ConversationChanged;
import app.tandem.events.v1.NeedAnswered;
import app.tandem.events.v1.NeedExpressed;
import app.tandem.events.v1.VictoryAcknowledged;
import app.tandem.events.v1.VictoryShared;
import app.tandem.events.v1.SharedGoalProposed;
import app.tandem.events.v1.WeekTogetherEnded;
import app.tandem.plans.together.SharedGoalEvents;
import app.tandem.plans.together.WeekLookBackEvents;
import app.tandem.api.v1.SharedGoalKind;
import app.tandem.plans.boundary.BoundaryCommands.Category;
import app.tandem.plans.conversation.ConversationEvents;
import app.tandem.plans.need.NeedEvents;
import app.tandem.plans.victory.VictoryEvents;
import app.tandem.plans.boundary.BoundaryEvents;
import app.tandem.plans.relapse.RelapseCommands.EndReason;
import app.tandem.plans.relapse.RelapseEvents;
import app.tandem.plans.relapse.RelapseTask;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;
import app.tandem.plans.safetyplan.SafetyPlanEvents;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.kafka.IntegrationEvent;
import app.tandem.platform.kafka.IntegrationEventTranslator;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * What plans-service tells other services, for prompts. No free text ever leaves: not a boundary's wording,
 * not a plan item, not a contact. A report of a boundary kept, or crossed while not in force, stays home, as do
 * edits of a person's private plan items and of a plan whose couple has dissolved: they prompt nobody.
 */
@Component
public class PlansIntegrationEvents implements IntegrationEventTranslator {

    @Override
    public List<IntegrationEvent> translate(EventMessage<?> event) {
        Object payload = event.getPayload();
        if (payload instanceof BoundaryEvents.BoundaryProposed proposed) {
            return one(proposed.coupleId(), proposed.proposedByPersonId(), BoundaryProposed.newBuilder()
                    .setBoundaryId(proposed.boundaryId()).setCoupleId(proposed.coupleId()).setVersion(proposed.version())
                    .setProposedByPersonId(proposed.proposedByPersonId()).setPartnerPersonId(proposed.partnerPersonId())
                    .setCategory(category(proposed.category())).build());
        }
        if (payload instanceof BoundaryEvents.BoundaryRevised revised) {
            return one(revised.coupleId(), revised.revisedByPersonId(), BoundaryProposed.newBuilder()
                    .setBoundaryId(revised.boundaryId()).setCoupleId(revised.coupleId()).setVersion(revised.version())
                    .setProposedByPersonId(revised.revisedByPersonId()).setPartnerPersonId(revised.partnerPersonId())
                    .setCategory(category(revised.category())).build());
        }
        if (payload instanceof BoundaryEvents.BoundaryReviewDue review) {
            return one(review.coupleId(), null, BoundaryReviewDue.newBuilder()
                    .setBoundaryId(review.boundaryId()).setCoupleId(review.coupleId()).setVersion(review.version())
                    .addAllPartnerPersonIds(review.partnerPersonIds()).setReviewAt(Timestamps.of(review.reviewAt())).build());
        }
        if (payload instanceof BoundaryEvents.BoundaryAccepted accepted) {
            return one(accepted.coupleId(), accepted.acceptedByPersonId(), BoundaryAccepted.newBuilder()
                    .setBoundaryId(accepted.boundaryId()).setCoupleId(accepted.coupleId()).setVersion(accepted.version())
                    .setAcceptedByPersonId(accepted.acceptedByPersonId()).setProposedByPersonId(accepted.proposedByPersonId()).build());
        }
        if (payload instanceof BoundaryEvents.BoundaryDeclined declined) {
            return one(declined.coupleId(), declined.declinedByPersonId(), BoundaryDeclined.newBuilder()
                    .setBoundaryId(declined.boundaryId()).setCoupleId(declined.coupleId()).setVersion(declined.version())
                    .setDeclinedByPersonId(declined.declinedByPersonId()).setProposedByPersonId(declined.proposedByPersonId()).build());
        }
        if (payload instanceof BoundaryEvents.BoundaryReported reported && reported.counted() && !reported.kept()) {
            return one(reported.coupleId(), reported.reportedByPersonId(), BoundaryCrossed.newBuilder()
                    .setBoundaryId(reported.boundaryId()).setCoupleId(reported.coupleId()).setVersion(reported.version())
                    .setReportedByPersonId(reported.reportedByPersonId()).setPartnerPersonId(reported.partnerPersonId())
                    .setCheckInId(reported.checkInId()).setReportedAt(Timestamps.of(reported.reportedAt()))
                    .setCategory(category(reported.category())).build());
        }
        if (payload instanceof SafetyPlanEvents.SectionEdited edited && !edited.coupleDissolved()) {
            return one(edited.coupleId(), edited.personId(), SafetyPlanDraftChanged.newBuilder()
                    .setCoupleId(edited.coupleId()).setVersion(edited.version()).setEditedByPersonId(edited.personId())
                    .setPartnerPersonId(edited.partnerPersonId()).build());
        }
        if (payload instanceof SafetyPlanEvents.VersionAgreed agreed) {
            return one(agreed.coupleId(), null, SafetyPlanAgreed.newBuilder()
                    .setCoupleId(agreed.coupleId()).setVersion(agreed.version()).addAllPartnerPersonIds(agreed.partners())
                    .setAgreedAt(Timestamps.of(agreed.agreedAt())).build());
        }
        if (payload instanceof RelapseEvents.RelapseResponseStarted started) {
            return one(started.coupleId(), started.lapsedPersonId(), RelapseResponseStarted.newBuilder()
                    .setLapseId(started.lapseId()).setCoupleId(started.coupleId())
                    .setLapsedPersonId(started.lapsedPersonId()).setSupportingPersonId(started.supportingPersonId())
                    .setUrgent(started.urgent()).setPlanVersion(started.planVersion())
                    .setLapsedPersonTaskCount(count(started.tasks(), started.lapsedPersonId()))
                    .setSupportingPersonTaskCount(count(started.tasks(), started.supportingPersonId()))
                    .setFirstWeekFollowUpAt(Timestamps.of(started.firstWeekAt()))
                    .setPlanReviewAt(Timestamps.of(started.firstMonthAt())).build());
        }
        if (payload instanceof RelapseEvents.FollowUpReached reached && reached.stage() == Timeframe.FIRST_WEEK) {
            return one(reached.coupleId(), reached.lapsedPersonId(), RelapseFirstWeekFollowUpDue.newBuilder()
                    .setLapseId(reached.lapseId()).setCoupleId(reached.coupleId())
                    .setLapsedPersonId(reached.lapsedPersonId()).setSupportingPersonId(reached.supportingPersonId())
                    .setLapsedPersonTaskCount(count(reached.tasks(), reached.lapsedPersonId()))
                    .setSupportingPersonTaskCount(count(reached.tasks(), reached.supportingPersonId())).build());
        }
        if (payload instanceof RelapseEvents.FollowUpReached reached && reached.stage() == Timeframe.FIRST_MONTH) {
            return one(reached.coupleId(), reached.lapsedPersonId(), RelapsePlanReviewDue.newBuilder()
                    .setLapseId(reached.lapseId()).setCoupleId(reached.coupleId())
                    .setLapsedPersonId(reached.lapsedPersonId()).setSupportingPersonId(reached.supportingPersonId())
                    .setLapsedPersonTaskCount(count(reached.tasks(), reached.lapsedPersonId()))
                    .setSupportingPersonTaskCount(count(reached.tasks(), reached.supportingPersonId())).build());
        }
        if (payload instanceof RelapseEvents.RelapseResponseEnded ended) {
            return one(ended.coupleId(), null, RelapseResponseEnded.newBuilder()
                    .setLapseId(ended.lapseId()).setCoupleId(ended.coupleId())
                    .setReason(ended.reason() == EndReason.COMPLETED ? RelapseResponseEnded.Reason.COMPLETED
                            : RelapseResponseEnded.Reason.COUPLE_DISSOLVED).build());
        }
        return talking(payload);
    }

    /** Conversations, victories and needs: ids and kinds only; a preparation and a private victory never leave. */
    private static List<IntegrationEvent> talking(Object payload) {
        if (payload instanceof ConversationEvents.ConversationInvited invited) {
            return conversation(invited.conversationId(), invited.coupleId(), ConversationChanged.Change.TIME_PROPOSED,
                    invited.invitedByPersonId(), invited.invitedPersonId(), 0);
        }
        if (payload instanceof ConversationEvents.ConversationTimeProposed proposed) {
            return conversation(proposed.conversationId(), proposed.coupleId(), ConversationChanged.Change.TIME_PROPOSED,
                    proposed.proposedByPersonId(), proposed.awaitingPersonId(), 0);
        }
        if (payload instanceof ConversationEvents.ConversationTimeAgreed agreed) {
            return conversation(agreed.conversationId(), agreed.coupleId(), ConversationChanged.Change.TIME_ACCEPTED,
                    agreed.acceptedByPersonId(), agreed.proposedByPersonId(), 0);
        }
        if (payload instanceof ConversationEvents.ConversationDeclined declined) {
            return conversation(declined.conversationId(), declined.coupleId(), ConversationChanged.Change.DECLINED,
                    declined.declinedByPersonId(), declined.proposedByPersonId(), 0);
        }
        if (payload instanceof ConversationEvents.AgreedStepsRecorded recorded) {
            int theirs = (int) recorded.steps().stream().filter(s -> s.ownerPersonId().equals(recorded.partnerPersonId())).count();
            return conversation(recorded.conversationId(), recorded.coupleId(), ConversationChanged.Change.STEPS_AGREED,
                    recorded.recordedByPersonId(), recorded.partnerPersonId(), theirs);
        }
        if (payload instanceof VictoryEvents.VictoryRecorded recorded && recorded.shared()) {
            return one(recorded.coupleId(), recorded.personId(), VictoryShared.newBuilder().setVictoryId(recorded.victoryId())
                    .setCoupleId(recorded.coupleId()).setPersonId(recorded.personId()).setPartnerPersonId(recorded.partnerPersonId())
                    .build());
        }
        if (payload instanceof VictoryEvents.VictoryAcknowledged acknowledged) {
            return one(acknowledged.coupleId(), acknowledged.acknowledgedByPersonId(), VictoryAcknowledged.newBuilder()
                    .setVictoryId(acknowledged.victoryId()).setCoupleId(acknowledged.coupleId())
                    .setAcknowledgedByPersonId(acknowledged.acknowledgedByPersonId()).setPersonId(acknowledged.personId())
                    .setReaction(VictoryReaction.valueOf("REACTION_" + acknowledged.reaction().name())).build());
        }
        if (payload instanceof NeedEvents.NeedExpressed expressed) {
            return one(expressed.coupleId(), expressed.personId(), NeedExpressed.newBuilder().setNeedId(expressed.needId())
                    .setCoupleId(expressed.coupleId()).setPersonId(expressed.personId()).setPartnerPersonId(expressed.partnerPersonId())
                    .setKind(NeedKind.valueOf("NEED_" + expressed.kind().name())).build());
        }
        if (payload instanceof NeedEvents.NeedAnswered answered) {
            return one(answered.coupleId(), answered.answeredByPersonId(), NeedAnswered.newBuilder().setNeedId(answered.needId())
                    .setCoupleId(answered.coupleId()).setAnsweredByPersonId(answered.answeredByPersonId()).setPersonId(answered.personId())
                    .setAnswer(NeedAnswer.valueOf("NEED_" + answered.answer().name())).build());
        }
        return together(payload);
    }

    /** Shared goals and the weekly look back: ids, the goal's kind and the week; never a title or what was done. */
    private static List<IntegrationEvent> together(Object payload) {
        if (payload instanceof SharedGoalEvents.SharedGoalProposed proposed) {
            return one(proposed.coupleId(), proposed.proposedByPersonId(), SharedGoalProposed.newBuilder().setGoalId(proposed.goalId())
                    .setCoupleId(proposed.coupleId()).setProposedByPersonId(proposed.proposedByPersonId())
                    .setPartnerPersonId(proposed.partnerPersonId())
                    .setKind(SharedGoalKind.valueOf("SHARED_GOAL_" + proposed.kind().name())).build());
        }
        if (payload instanceof WeekLookBackEvents.WeekEnded ended) {
            return one(ended.coupleId(), null, WeekTogetherEnded.newBuilder().setCoupleId(ended.coupleId())
                    .setWeekStart(Timestamps.of(ended.weekStart())).addAllPartnerPersonIds(ended.partners()).build());
        }
        return List.of();
    }

    private static List<IntegrationEvent> conversation(String conversationId, String coupleId, ConversationChanged.Change change,
                                                       String changedBy, String recipient, int recipientSteps) {
        return one(coupleId, changedBy, ConversationChanged.newBuilder().setConversationId(conversationId).setCoupleId(coupleId)
                .setChange(change).setChangedByPersonId(changedBy).setRecipientPersonId(recipient)
                .setRecipientStepCount(recipientSteps).build());
    }

    private static List<IntegrationEvent> one(String coupleId, String subject, com.google.protobuf.Message message) {
        return List.of(new IntegrationEvent(coupleId, subject, message));
    }

    private static int count(List<RelapseTask> tasks, String personId) {
        return (int) tasks.stream().filter(t -> t.personId().equals(personId)).count();
    }

    public static BoundaryCategory category(Category category) {
        return BoundaryCategory.valueOf("BOUNDARY_" + category.name());
    }
}
