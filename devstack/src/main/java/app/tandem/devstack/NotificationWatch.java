package app.tandem.devstack;

import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.api.v1.WatchNotificationsRequest;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A person's open notification stream through the gateway, as a queue; closing it hangs up. */
final class NotificationWatch implements AutoCloseable {

    private final Context.CancellableContext context;
    private final LinkedBlockingQueue<Notification> received = new LinkedBlockingQueue<>();

    private NotificationWatch(Channel channel, CallCredentials token, String afterCursor) {
        this.context = Context.current().withCancellation();
        context.run(() -> NotificationServiceGrpc.newStub(channel).withCallCredentials(token).watchNotifications(
                WatchNotificationsRequest.newBuilder().setAfterCursor(afterCursor).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(Notification notification) {
                        received.add(notification);
                    }

                    @Override
                    public void onError(Throwable t) {
                        // the caller sees no more notifications and decides what that means
                    }

                    @Override
                    public void onCompleted() {
                    }
                }));
    }

    static NotificationWatch open(Channel channel, CallCredentials token, String afterCursor) {
        return new NotificationWatch(channel, token, afterCursor);
    }

    /** The next notification, or null when none arrived within the timeout. */
    Notification next(Duration timeout) throws InterruptedException {
        return received.poll(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        context.cancel(null);
    }
}
