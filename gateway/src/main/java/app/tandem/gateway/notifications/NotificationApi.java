package app.tandem.gateway.notifications;

import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.api.v1.WatchNotificationsRequest;
import app.tandem.gateway.auth.Authentication;
import app.tandem.internal.v1.NotificationsInternalGrpc;
import app.tandem.internal.v1.WatchNotificationsCall;
import io.grpc.Context;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/** Relays the caller's notification stream; when the client goes away, the internal stream is cancelled. */
@Service
public class NotificationApi extends NotificationServiceGrpc.NotificationServiceImplBase {

    private final NotificationsInternalGrpc.NotificationsInternalStub notifications;

    public NotificationApi(NotificationsInternalGrpc.NotificationsInternalStub notifications) {
        this.notifications = notifications;
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
