package app.tandem.notifications.prompts;

import app.tandem.events.v1.BoundaryCrossed;
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
        }
    }

    private void prompt(String eventId, List<String> recipients, NotificationKind kind, String coupleId, String title, String body) {
        for (String recipient : recipients) {
            prompt(eventId, recipient, kind, coupleId, title, body);
        }
    }
}
