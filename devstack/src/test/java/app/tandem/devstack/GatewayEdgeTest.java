package app.tandem.devstack;

import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.api.v1.WatchNotificationsRequest;
import app.tandem.platform.grpc.BearerToken;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What the gateway itself holds a client to: one request where the API takes one, and no call past its token. */
@ExtendWith(EmbeddedTandem.class)
class GatewayEdgeTest {

    @Test
    void aSecondRequestOnACallThatTakesOneIsRefusedAndNothingIsCreated() throws Exception {
        GatewayClient alex = EmbeddedTandem.get().person("alex");
        CompletableFuture<Status> closed = new CompletableFuture<>();
        ClientCall<CreateCoupleRequest, CreateCoupleResponse> call = EmbeddedTandem.get().gateway.newCall(CoupleServiceGrpc.getCreateCoupleMethod(),
                CallOptions.DEFAULT.withCallCredentials(alex.credentials()).withDeadlineAfter(20, TimeUnit.SECONDS));
        call.start(new ClientCall.Listener<CreateCoupleResponse>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(2);
        call.sendMessage(CreateCoupleRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).build());
        call.sendMessage(CreateCoupleRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).build());
        call.halfClose();
        assertThat(closed.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        // neither request started a couple: alex can still start one
        assertThat(alex.createCouple().getCoupleId()).isNotBlank();
    }

    @Test
    void aNotificationStreamEndsWhenItsTokenDoes() throws Exception {
        TandemUnderTest tandem = EmbeddedTandem.get();
        String person = "robin-" + GatewayClient.key();
        var shortLived = BearerToken.of(tandem.issuer.issue(person, Duration.ofSeconds(3)));
        CompletableFuture<Status> ended = new CompletableFuture<>();
        long opened = System.nanoTime();
        NotificationServiceGrpc.newStub(tandem.gateway).withCallCredentials(shortLived)
                .watchNotifications(WatchNotificationsRequest.getDefaultInstance(), new StreamObserver<>() {
                    @Override
                    public void onNext(app.tandem.api.v1.Notification notification) {
                    }

                    @Override
                    public void onError(Throwable error) {
                        ended.complete(Status.fromThrowable(error));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
        Status status = ended.get(20, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("expired");
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).as("open until the token expired").isGreaterThan(Duration.ofSeconds(1));
    }
}
