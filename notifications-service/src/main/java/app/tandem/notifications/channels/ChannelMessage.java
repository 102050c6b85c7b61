package app.tandem.notifications.channels;

import java.time.Instant;

/**
 * What leaves Tandem by e-mail or webhook: that there is an update, whether it is urgent, and a reference. Never a
 * title, a body, a kind or anything anyone wrote: a shared mailbox or a logging proxy learns nothing sensitive.
 */
record ChannelMessage(String deliveryId, String notificationId, boolean urgent, Instant createdAt) {

    String subject() {
        return urgent ? "Tandem: please open the app" : "Tandem: you have a new update";
    }

    String text() {
        return "There is something new for you in Tandem. Open the app to see it.\n\nReference: " + notificationId + "\n";
    }

    String json() {
        return "{\"delivery_id\":\"" + deliveryId + "\",\"notification_id\":\"" + notificationId + "\",\"urgent\":" + urgent
                + ",\"created_at\":\"" + createdAt + "\"}";
    }
}
