package app.tandem.notifications.inbox;

import java.time.Instant;

/**
 * A prompt in one person's inbox. Titles and bodies are written to be safe on a lock screen: they never
 * carry what a partner wrote, their mood, or anything about use. A folded prompt was held back and is
 * summarised by a digest instead of being pushed on its own.
 */
public record InboxNotification(String notificationId, String recipientPersonId, long sequence, NotificationKind kind,
                                String coupleId, String title, String body, String checkInId, Instant createdAt,
                                boolean urgent, boolean folded, boolean read) {
}
