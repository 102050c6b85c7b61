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
import app.tandem.platform.feed.FeedStreams;
import app.tandem.platform.security.Caller;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.bson.Document;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;

/**
 * A person's inbox: streamed from a cursor and then live, listed newest first, marked read. Open streams are capped per
 * person and per instance; a waiting stream holds no thread (see {@link FeedStreams}).
 */
@Service
public class InboxEndpoint implements NotificationServiceGrpc.AsyncService, DisposableBean, MeterBinder {

    static final int DEFAULT_LIST_PAGE = 20;
    static final int MAX_LIST_PAGE = 100;

    private final Inbox inbox;
    private final FeedStreams<Notification> streams;

    public InboxEndpoint(Inbox inbox, NotificationsProperties properties) {
        this.inbox = inbox;
        this.streams = new FeedStreams<>("notification", inbox.feed(), properties.streamsPerPerson(),
                properties.streamsPerInstance(), properties.streamReaders(), properties.streamGapWait());
    }

    @Override
    public void watchNotifications(WatchNotificationsRequest request, StreamObserver<Notification> observer) {
        String recipient = Caller.current().personId();
        long cursor = FeedStreams.parseCursor(request.getAfterCursor(), "after_cursor");
        streams.open(recipient, cursor, observer, InboxEndpoint::toStreamed);
    }

    /** A folded prompt is summarised by its digest: the stream moves past it. */
    private static Optional<Notification> toStreamed(Document stored) {
        InboxNotification notification = Inbox.fromDocument(stored);
        return notification.folded() ? Optional.empty() : Optional.of(toMessage(notification));
    }

    /** Open notification streams and their cap, as metrics. */
    @Override
    public void bindTo(MeterRegistry registry) {
        streams.bindTo(registry);
    }

    /** Notification streams open in this instance. */
    public int openStreams() {
        return streams.openStreams();
    }

    @Override
    public void listNotifications(ListNotificationsRequest request, StreamObserver<ListNotificationsResponse> response) {
        String recipient = Caller.current().personId();
        int pageSize = request.getPageSize();
        new Validation().requireRange(pageSize, 0, MAX_LIST_PAGE, "page_size").orThrow();
        long before = FeedStreams.parseCursor(request.getBeforeCursor(), "before_cursor");
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
        inbox.markRead(recipient, FeedStreams.parseCursor(cursor, "up_to_cursor"));
        response.onNext(MarkReadResponse.newBuilder().setUnreadCount(inbox.unreadCount(recipient)).build());
        response.onCompleted();
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
        streams.close();
    }
}
