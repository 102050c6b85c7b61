package app.tandem.notifications.inbox;

import app.tandem.notifications.NotificationsProperties;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.ListNotificationsResponse;
import app.tandem.api.v1.MarkReadResponse;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.MarkReadRequest;
import app.tandem.platform.domain.Validation;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.api.v1.WatchNotificationsRequest;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.security.Caller;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A person's inbox: streamed from a cursor and then live, listed newest first, marked read. */
@Service
public class InboxEndpoint implements NotificationServiceGrpc.AsyncService, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InboxEndpoint.class);
    private static final int PAGE = 100;
    static final int DEFAULT_LIST_PAGE = 20;
    static final int MAX_LIST_PAGE = 100;
    /**
     * Deliveries wake a stream (see {@link Inbox#nextDelivery}); a stream also looks on its own this often, so
     * nothing can leave it waiting for good.
     */
    private static final long LOOK_ANYWAY_MILLIS = 30_000;

    private final Inbox inbox;
    /** How long a stream waits for a missing number before it marks the number unused and moves on. */
    private final Duration gapWait;
    private final ExecutorService streams = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "inbox-stream");
        thread.setDaemon(true);
        return thread;
    });

    public InboxEndpoint(Inbox inbox, NotificationsProperties properties) {
        this.inbox = inbox;
        this.gapWait = properties.streamGapWait();
    }

    @Override
    public void watchNotifications(WatchNotificationsRequest request, StreamObserver<Notification> observer) {
        String recipient = Caller.current().personId();
        long cursor = parseCursor(request.getAfterCursor());
        ServerCallStreamObserver<Notification> stream = (ServerCallStreamObserver<Notification>) observer;
        streams.execute(() -> stream(recipient, cursor, stream));
    }

    private void stream(String recipient, long cursor, ServerCallStreamObserver<Notification> stream) {
        inbox.watch(recipient);
        try {
            streamFrom(recipient, cursor, stream);
        } finally {
            inbox.unwatch(recipient);
        }
    }

    private void streamFrom(String recipient, long cursor, ServerCallStreamObserver<Notification> stream) {
        long sent = cursor;
        long missing = 0;
        long missingSince = 0;
        boolean woken = false;
        try {
            while (!stream.isCancelled() && !streams.isShutdown()) {
                // ask to be woken before reading, so a delivery between the read and the wait is not missed
                var next = inbox.nextDelivery(recipient);
                // the first read, and one after a wait that timed out, ask the person's counter how far to look
                Inbox.Run run = woken ? inbox.afterLatestKnown(recipient, sent, PAGE) : inbox.after(recipient, sent, PAGE);
                for (InboxNotification notification : run.notifications()) {
                    if (stream.isCancelled()) {
                        return;
                    }
                    // a folded prompt is summarised by its digest; the stream moves past it
                    if (!notification.folded()) {
                        stream.onNext(toMessage(notification));
                    }
                }
                boolean fullPage = run.through() - sent == PAGE;
                sent = run.through();
                if (run.missing() > 0) {
                    // a higher number is stored first: wait for the lower one, which is usually being stored right
                    // now; one that never comes (its delivery crashed) is marked unused after the wait
                    if (run.missing() != missing) {
                        missing = run.missing();
                        missingSince = System.nanoTime();
                    }
                    long left = gapWait.toNanos() - (System.nanoTime() - missingSince);
                    if (left > 0) {
                        woken = waitFor(next, left);
                    } else {
                        woken = inbox.markUnused(recipient, missing);
                    }
                } else if (!fullPage) {
                    // everything there was when it was read; what came since completes {@code next}
                    woken = waitFor(next, TimeUnit.MILLISECONDS.toNanos(LOOK_ANYWAY_MILLIS));
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

    /** @return whether a delivery came, rather than the time */
    private static boolean waitFor(CompletableFuture<Void> delivery, long nanos) throws InterruptedException, ExecutionException {
        try {
            delivery.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException lookAnyway) {
            return false; // read again, from the counter
        }
    }

    @Override
    public void listNotifications(ListNotificationsRequest request, StreamObserver<ListNotificationsResponse> response) {
        String recipient = Caller.current().personId();
        int pageSize = request.getPageSize();
        new Validation().requireRange(pageSize, 0, MAX_LIST_PAGE, "page_size").orThrow();
        long before = parseCursor(request.getBeforeCursor(), "before_cursor");
        int limit = pageSize == 0 ? DEFAULT_LIST_PAGE : pageSize;
        List<InboxNotification> page = inbox.before(recipient, before, limit);
        ListNotificationsResponse.Builder result = ListNotificationsResponse.newBuilder().setUnreadCount(inbox.unreadCount(recipient));
        page.forEach(n -> result.addNotifications(toMessage(n)));
        if (page.size() == limit) {
            result.setNextBeforeCursor(Long.toString(page.get(page.size() - 1).sequence()));
        }
        response.onNext(result.build());
        response.onCompleted();
    }

    @Override
    public void markRead(MarkReadRequest request, StreamObserver<MarkReadResponse> response) {
        String recipient = Caller.current().personId();
        String cursor = request.getUpToCursor();
        new Validation().require(!cursor.isEmpty(), "up_to_cursor", "is required").orThrow();
        inbox.markRead(recipient, parseCursor(cursor, "up_to_cursor"));
        response.onNext(MarkReadResponse.newBuilder().setUnreadCount(inbox.unreadCount(recipient)).build());
        response.onCompleted();
    }

    static long parseCursor(String cursor) {
        return parseCursor(cursor, "after_cursor");
    }

    static long parseCursor(String cursor, String field) {
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
        throw InvalidInput.of(field, "is not a cursor this service issued");
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
                .setUrgent(n.urgent())
                .setFolded(n.folded())
                .setRead(n.read())
                .build();
    }

    @Override
    public void destroy() {
        streams.shutdownNow();
    }
}
