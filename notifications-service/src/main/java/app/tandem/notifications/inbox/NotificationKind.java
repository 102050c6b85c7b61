package app.tandem.notifications.inbox;

/** In the order of the public {@code tandem.api.v1.NotificationKind}, whose numbers start at 1. */
public enum NotificationKind {
    PARTNER_CHECKED_IN,
    PARTNER_JOINED,
    PARTNER_LAPSED,
    LAPSE_SELF_CARE,
    MILESTONE_REACHED,
    PARTNER_MILESTONE_REACHED,
    COUPLE_MILESTONE_REACHED,
    SUPPORT_REQUESTED,
    JOURNAL_NO_LONGER_SHARED,
    DIGEST,
    PARTNER_PROPOSED_BOUNDARY,
    BOUNDARY_CROSSED,
    SAFETY_PLAN_CHANGED,
    RELAPSE_FOLLOW_UP,
    PLAN_REVIEW_DUE,
    PARTNER_CRAVING_HIGH,
    DAILY_REMINDER,
    BOUNDARY_REVIEW_DUE
}
