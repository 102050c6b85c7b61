package app.tandem.devstack;

import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.api.v1.WatchNotificationsRequest;
import io.grpc.CallCredentials;
import io.grpc.Channel;

/** A person's open notification stream through the gateway. */
final class NotificationWatch extends StreamWatch<Notification> {

    private NotificationWatch(Channel channel, CallCredentials token, String afterCursor) {
        super(observer -> NotificationServiceGrpc.newStub(channel).withCallCredentials(token).watchNotifications(
                WatchNotificationsRequest.newBuilder().setAfterCursor(afterCursor).build(), observer));
    }

    static NotificationWatch open(Channel channel, CallCredentials token, String afterCursor) {
        return new NotificationWatch(channel, token, afterCursor);
    }
}
