package app.tandem.notifications.inbox;

import app.tandem.api.v1.Notification;
import app.tandem.internal.v1.NotificationsInternalGrpc;
import app.tandem.internal.v1.WatchNotificationsCall;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Streams a person's inbox from a cursor, then live. */
@Service
public class InboxEndpoint extends NotificationsInternalGrpc.NotificationsInternalImplBase implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InboxEndpoint.class);
    private static final int PAGE = 100;
    private static final long POLL_MILLIS = 500;

    private final Inbox inbox;
    private final ExecutorService streams = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "inbox-stream");
        thread.setDaemon(true);
        return thread;
    });

    public InboxEndpoint(Inbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public void watchNotifications(WatchNotificationsCall call, StreamObserver<Notification> observer) {
        String recipient = Requests.actor(call.getActor());
        long cursor = parseCursor(call.getRequest().getAfterCursor());
        ServerCallStreamObserver<Notification> stream = (ServerCallStreamObserver<Notification>) observer;
        streams.execute(() -> stream(recipient, cursor, stream));
    }

    private void stream(String recipient, long cursor, ServerCallStreamObserver<Notification> stream) {
        long sent = cursor;
        try {
            while (!stream.isCancelled() && !streams.isShutdown()) {
                // ask to be woken before reading, so a delivery between the read and the wait is not missed
                var next = inbox.nextDelivery(recipient);
                List<InboxNotification> page = inbox.after(recipient, sent, PAGE);
                for (InboxNotification notification : page) {
                    if (stream.isCancelled()) {
                        return;
                    }
                    stream.onNext(toMessage(notification));
                    sent = notification.sequence();
                }
                if (page.isEmpty()) {
                    try {
                        next.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException pollAgain) {
                        // also catches deliveries made by other instances
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!stream.isCancelled()) {
                log.warn("notification stream failed", e);
                stream.onError(io.grpc.Status.UNAVAILABLE.withDescription("stream interrupted, reconnect with your cursor").asException());
            }
            return;
        }
        if (!stream.isCancelled()) {
            stream.onError(io.grpc.Status.UNAVAILABLE.withDescription("server shutting down, reconnect with your cursor").asException());
        }
    }

    static long parseCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            long value = Long.parseLong(cursor);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidInput.of("after_cursor", "is not a cursor this service issued");
    }

    static Notification toMessage(InboxNotification n) {
        return Notification.newBuilder()
                .setNotificationId(n.notificationId())
                .setCursor(Long.toString(n.sequence()))
                .setKind(app.tandem.api.v1.NotificationKind.valueOf(n.kind().name()))
                .setCoupleId(n.coupleId())
                .setTitle(n.title())
                .setBody(n.body())
                .setCheckInId(n.checkInId() == null ? "" : n.checkInId())
                .setCreatedAt(Timestamps.of(n.createdAt()))
                .build();
    }

    @Override
    public void destroy() {
        streams.shutdownNow();
    }
}
