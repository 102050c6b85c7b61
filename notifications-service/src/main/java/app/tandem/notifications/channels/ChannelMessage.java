package app.tandem.notifications.channels;

import app.tandem.notifications.preferences.ContactChallenges;

import java.time.Instant;

/**
 * What leaves Tandem by e-mail or webhook: that there is an update, whether it is urgent, and a reference. Never a
 * title, a body, a kind or anything anyone wrote: a shared mailbox or a logging proxy learns nothing sensitive. A
 * challenge carries only the code that confirms the address it was sent to ({@code code} null for an update).
 */
record ChannelMessage(String deliveryId, String notificationId, boolean urgent, Instant createdAt, String code) {

    static ChannelMessage update(String deliveryId, String notificationId, boolean urgent, Instant createdAt) {
        return new ChannelMessage(deliveryId, notificationId, urgent, createdAt, null);
    }

    static ChannelMessage challenge(String deliveryId, String code, Instant createdAt) {
        return new ChannelMessage(deliveryId, null, false, createdAt, code);
    }

    String subject() {
        if (code != null) {
            return "Tandem: your confirmation code";
        }
        return urgent ? "Tandem: please open the app" : "Tandem: you have a new update";
    }

    String text() {
        if (code != null) {
            return "To get updates here, enter this code in the app: " + code + "\n\nIt works for "
                    + ContactChallenges.LIFETIME.toHours() + " hours. If you did not ask for it, ignore this message.\n";
        }
        return "There is something new for you in Tandem. Open the app to see it.\n\nReference: " + notificationId + "\n";
    }

    String json() {
        if (code != null) {
            return "{\"delivery_id\":\"" + deliveryId + "\",\"type\":\"confirmation\",\"code\":\"" + code
                    + "\",\"created_at\":\"" + createdAt + "\"}";
        }
        return "{\"delivery_id\":\"" + deliveryId + "\",\"notification_id\":\"" + notificationId + "\",\"urgent\":" + urgent
                + ",\"created_at\":\"" + createdAt + "\"}";
    }
}
