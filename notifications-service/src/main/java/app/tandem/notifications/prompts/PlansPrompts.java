package app.tandem.notifications.prompts;

import app.tandem.events.v1.BoundaryCrossed;
import app.tandem.events.v1.ConversationChanged;
import app.tandem.events.v1.NeedAnswered;
import app.tandem.events.v1.NeedExpressed;
import app.tandem.events.v1.VictoryAcknowledged;
import app.tandem.events.v1.VictoryShared;
import app.tandem.events.v1.SharedGoalProposed;
import app.tandem.events.v1.WeekTogetherEnded;
import app.tandem.events.v1.BoundaryProposed;
import app.tandem.events.v1.BoundaryReviewDue;
import app.tandem.events.v1.RelapseFirstWeekFollowUpDue;
import app.tandem.events.v1.RelapsePlanReviewDue;
import app.tandem.events.v1.SafetyPlanDraftChanged;
import app.tandem.notifications.delivery.Dispatcher;
import app.tandem.notifications.inbox.NotificationKind;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Turns what happens to the couple's boundaries, safety plan and relapse response into prompts. The start of a
 * relapse response is not prompted again: the disclosed lapse already was.
 */
@Component
public class PlansPrompts extends TopicPrompts {

    public static final String TOPIC = "tandem.plans.v1";

    public PlansPrompts(Dispatcher dispatcher) {
        super(TOPIC, dispatcher);
    }

    @Override
    protected void onEvent(String eventId, Any payload) throws InvalidProtocolBufferException {
        if (payload.is(BoundaryProposed.class)) {
            BoundaryProposed proposed = payload.unpack(BoundaryProposed.class);
            prompt(eventId, List.of(proposed.getPartnerPersonId()), NotificationKind.PARTNER_PROPOSED_BOUNDARY, proposed.getCoupleId(),
                    "Your partner proposed a boundary", "Open Tandem to answer it together.");
        } else if (payload.is(BoundaryCrossed.class)) {
            BoundaryCrossed crossed = payload.unpack(BoundaryCrossed.class);
            prompt(eventId, List.of(crossed.getPartnerPersonId()), NotificationKind.BOUNDARY_CROSSED, crossed.getCoupleId(),
                    "A boundary was crossed", "Your partner was honest about it. Your plan can help you talk.");
        } else if (payload.is(BoundaryReviewDue.class)) {
            BoundaryReviewDue review = payload.unpack(BoundaryReviewDue.class);
            prompt(eventId, review.getPartnerPersonIdsList(), NotificationKind.BOUNDARY_REVIEW_DUE, review.getCoupleId(),
                    "Time to look at a boundary again", "You agreed to review it together today.");
        } else if (payload.is(SafetyPlanDraftChanged.class)) {
            SafetyPlanDraftChanged changed = payload.unpack(SafetyPlanDraftChanged.class);
            prompt(eventId, List.of(changed.getPartnerPersonId()), NotificationKind.SAFETY_PLAN_CHANGED, changed.getCoupleId(),
                    "Your safety plan changed", "Look at it together when you can.");
        } else if (payload.is(RelapseFirstWeekFollowUpDue.class)) {
            RelapseFirstWeekFollowUpDue due = payload.unpack(RelapseFirstWeekFollowUpDue.class);
            prompt(eventId, List.of(due.getLapsedPersonId(), due.getSupportingPersonId()), NotificationKind.RELAPSE_FOLLOW_UP,
                    due.getCoupleId(), "A week on", "Have you talked it through? Your next steps are in Tandem.");
        } else if (payload.is(RelapsePlanReviewDue.class)) {
            RelapsePlanReviewDue due = payload.unpack(RelapsePlanReviewDue.class);
            prompt(eventId, List.of(due.getLapsedPersonId(), due.getSupportingPersonId()), NotificationKind.PLAN_REVIEW_DUE,
                    due.getCoupleId(), "Time to review your plan", "A month on, look at your safety plan together.");
        } else {
            onTalking(eventId, payload);
        }
    }

    /** Conversations, victories and needs: who did what, never what anyone wrote, the reaction or the answer. */
    private void onTalking(String eventId, Any payload) throws InvalidProtocolBufferException {
        if (payload.is(ConversationChanged.class)) {
            ConversationChanged changed = payload.unpack(ConversationChanged.class);
            boolean proposed = changed.getChange() == ConversationChanged.Change.TIME_PROPOSED;
            prompt(eventId, changed.getRecipientPersonId(), proposed ? NotificationKind.CONVERSATION_TIME_PROPOSED
                    : NotificationKind.CONVERSATION_ANSWERED, changed.getCoupleId(),
                    proposed ? "Your partner would like to talk" : "Your partner answered about your talk",
                    proposed ? "Open Tandem to see when and where." : "Open Tandem to see what is next.");
        } else if (payload.is(VictoryShared.class)) {
            VictoryShared shared = payload.unpack(VictoryShared.class);
            prompt(eventId, shared.getPartnerPersonId(), NotificationKind.PARTNER_SHARED_VICTORY, shared.getCoupleId(),
                    "Your partner shared a small victory", "Open Tandem to see it.");
        } else if (payload.is(VictoryAcknowledged.class)) {
            VictoryAcknowledged acknowledged = payload.unpack(VictoryAcknowledged.class);
            prompt(eventId, acknowledged.getPersonId(), NotificationKind.VICTORY_ACKNOWLEDGED, acknowledged.getCoupleId(),
                    "Your partner saw your victory", "Open Tandem to see their reaction.");
        } else if (payload.is(NeedExpressed.class)) {
            NeedExpressed expressed = payload.unpack(NeedExpressed.class);
            prompt(eventId, expressed.getPartnerPersonId(), NotificationKind.PARTNER_EXPRESSED_NEED, expressed.getCoupleId(),
                    "Your partner said what they need", "Open Tandem when you have a moment.");
        } else if (payload.is(NeedAnswered.class)) {
            NeedAnswered answered = payload.unpack(NeedAnswered.class);
            prompt(eventId, answered.getPersonId(), NotificationKind.NEED_ANSWERED, answered.getCoupleId(),
                    "Your partner answered", "Open Tandem to see their answer.");
        } else if (payload.is(SharedGoalProposed.class)) {
            SharedGoalProposed proposed = payload.unpack(SharedGoalProposed.class);
            prompt(eventId, proposed.getPartnerPersonId(), NotificationKind.PARTNER_PROPOSED_SHARED_GOAL, proposed.getCoupleId(),
                    "Your partner suggested something for the two of you", "Open Tandem to see it.");
        } else if (payload.is(WeekTogetherEnded.class)) {
            // what they did, and how much, is for the app, not for a lock screen
            WeekTogetherEnded ended = payload.unpack(WeekTogetherEnded.class);
            prompt(eventId, ended.getPartnerPersonIdsList(), NotificationKind.WEEK_TOGETHER, ended.getCoupleId(),
                    "Your week together", "A moment to look back on your week, when you like.");
        }
    }

    private void prompt(String eventId, List<String> recipients, NotificationKind kind, String coupleId, String title, String body) {
        for (String recipient : recipients) {
            prompt(eventId, recipient, kind, coupleId, title, body);
        }
    }
}
