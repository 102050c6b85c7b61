package app.tandem.notifications.inbox;

public enum NotificationKind {
    PARTNER_CHECKED_IN,
    PARTNER_JOINED
}
