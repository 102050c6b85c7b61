package app.tandem.gateway.notifications;

import app.tandem.api.v1.GetPreferencesRequest;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.ListNotificationsResponse;
import app.tandem.api.v1.MarkReadRequest;
import app.tandem.api.v1.MarkReadResponse;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationPreferences;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.api.v1.WatchNotificationsRequest;
import app.tandem.gateway.auth.Authentication;
import app.tandem.internal.v1.GetPreferencesCall;
import app.tandem.internal.v1.ListNotificationsCall;
import app.tandem.internal.v1.MarkReadCall;
import app.tandem.internal.v1.NotificationsInternalGrpc;
import app.tandem.internal.v1.PreferencesInternalGrpc;
import app.tandem.internal.v1.SetPreferencesCall;
import app.tandem.internal.v1.WatchNotificationsCall;
import io.grpc.Context;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

import static app.tandem.gateway.Forwarding.bounded;
import static app.tandem.gateway.Forwarding.reply;

/**
 * The caller's inbox and preferences. The stream is relayed; when the client goes away, the internal stream is cancelled.
 */
@Service
public class NotificationApi extends NotificationServiceGrpc.NotificationServiceImplBase {

    private final NotificationsInternalGrpc.NotificationsInternalStub notifications;
    private final NotificationsInternalGrpc.NotificationsInternalBlockingStub inbox;
    private final PreferencesInternalGrpc.PreferencesInternalBlockingStub preferences;

    public NotificationApi(NotificationsInternalGrpc.NotificationsInternalStub notifications,
                           NotificationsInternalGrpc.NotificationsInternalBlockingStub inbox,
                           PreferencesInternalGrpc.PreferencesInternalBlockingStub preferences) {
        this.notifications = notifications;
        this.inbox = inbox;
        this.preferences = preferences;
    }

    @Override
    public void listNotifications(ListNotificationsRequest request, StreamObserver<ListNotificationsResponse> response) {
        reply(response, bounded(inbox).listNotifications(ListNotificationsCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void markRead(MarkReadRequest request, StreamObserver<MarkReadResponse> response) {
        reply(response, bounded(inbox).markRead(MarkReadCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void getPreferences(GetPreferencesRequest request, StreamObserver<NotificationPreferences> response) {
        reply(response, bounded(preferences).getPreferences(GetPreferencesCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void setPreferences(NotificationPreferences request, StreamObserver<NotificationPreferences> response) {
        reply(response, bounded(preferences).setPreferences(SetPreferencesCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void watchNotifications(WatchNotificationsRequest request, StreamObserver<Notification> observer) {
        ServerCallStreamObserver<Notification> client = (ServerCallStreamObserver<Notification>) observer;
        WatchNotificationsCall call = WatchNotificationsCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build();
        // the internal stream outlives this method, so it must not inherit (and be cancelled with) this call's context
        Context.ROOT.run(() -> notifications.watchNotifications(call, new ClientResponseObserver<WatchNotificationsCall, Notification>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchNotificationsCall> internal) {
                client.setOnCancelHandler(() -> internal.cancel("client went away", null));
            }

            @Override
            public void onNext(Notification notification) {
                client.onNext(notification);
            }

            @Override
            public void onError(Throwable error) {
                if (!client.isCancelled()) {
                    client.onError(error);
                }
            }

            @Override
            public void onCompleted() {
                client.onCompleted();
            }
        }));
    }
}
