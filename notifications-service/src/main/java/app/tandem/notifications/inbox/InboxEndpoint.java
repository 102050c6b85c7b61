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
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A person's inbox: streamed from a cursor and then live, listed newest first, marked read. Open streams are capped per
 * person and per instance; a waiting stream holds no thread (see {@link NotificationStream}).
 */
@Service
public class InboxEndpoint implements NotificationServiceGrpc.AsyncService, DisposableBean {

    static final int DEFAULT_LIST_PAGE = 20;
    static final int MAX_LIST_PAGE = 100;

    private final Inbox inbox;
    /** How long a stream waits for a missing number before it marks the number unused and moves on. */
    private final Duration gapWait;
    private final int perPerson;
    private final int perInstance;
    private final ExecutorService readers;
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemon("inbox-stream-timer"));
    private final Set<NotificationStream> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> openByPerson = new ConcurrentHashMap<>();
    private final AtomicInteger openHere = new AtomicInteger();
    private volatile boolean stopping;

    public InboxEndpoint(Inbox inbox, NotificationsProperties properties) {
        this.inbox = inbox;
        this.gapWait = properties.streamGapWait();
        this.perPerson = properties.streamsPerPerson();
        this.perInstance = properties.streamsPerInstance();
        this.readers = Executors.newFixedThreadPool(properties.streamReaders(), daemon("inbox-stream-reader"));
        // a stream re-arms its timer on every read: cancelled timers leave the queue at once
        timers.setRemoveOnCancelPolicy(true);
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void watchNotifications(WatchNotificationsRequest request, StreamObserver<Notification> observer) {
        String recipient = Caller.current().personId();
        long cursor = parseCursor(request.getAfterCursor());
        if (stopping) {
            throw new StatusRuntimeException(Status.UNAVAILABLE.withDescription("server shutting down, reconnect with your cursor"));
        }
        if (openHere.incrementAndGet() > perInstance) {
            openHere.decrementAndGet();
            throw new StatusRuntimeException(Status.RESOURCE_EXHAUSTED.withDescription("too many notification streams are open here: try again shortly"));
        }
        if (openByPerson.merge(recipient, 1, Integer::sum) > perPerson) {
            release(recipient);
            throw new StatusRuntimeException(Status.RESOURCE_EXHAUSTED.withDescription(
                    "you have " + perPerson + " notification streams open already: close one first"));
        }
        NotificationStream stream = new NotificationStream(recipient, cursor, inbox, (ServerCallStreamObserver<Notification>) observer,
                readers, timers, gapWait, this::ended);
        open.add(stream);
        stream.open();
    }

    private void ended(NotificationStream stream) {
        if (open.remove(stream)) {
            release(stream.recipient());
        }
    }

    private void release(String recipient) {
        openByPerson.computeIfPresent(recipient, (person, count) -> count == 1 ? null : count - 1);
        openHere.decrementAndGet();
    }

    /** Notification streams open in this instance. */
    public int openStreams() {
        return openHere.get();
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
    public void destroy() throws InterruptedException {
        stopping = true;
        open.forEach(NotificationStream::close);
        readers.shutdown();
        readers.awaitTermination(5, TimeUnit.SECONDS);
        readers.shutdownNow();
        timers.shutdownNow();
    }
}
