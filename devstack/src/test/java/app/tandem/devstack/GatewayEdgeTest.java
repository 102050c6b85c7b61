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
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import com.google.rpc.RetryInfo;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.RecordCheckInRequest;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the gateway itself holds a client to: one request where the API takes one, no call past its token, each person's limits. */
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

    @Test
    void aPersonBeyondTheirWriteLimitIsToldWhenToTryAgainWhileTheirReadsAndOtherPeopleGoOn() throws Exception {
        GatewayClient flooder = EmbeddedTandem.get().person("flooder");
        GatewayClient someoneElse = EmbeddedTandem.get().person("someone");
        StatusRuntimeException limited = null;
        int refusedByService = 0;
        for (int i = 0; i < 10 * TandemUnderTest.SCRIPTED_BURST && limited == null; i++) {
            try {
                // a write the service refuses still counts: the limit protects the service from being asked
                flooder.journal().recordCheckIn(RecordCheckInRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).build());
            } catch (StatusRuntimeException refused) {
                if (refused.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                    limited = refused;
                } else {
                    refusedByService++;
                }
            }
        }
        assertThat(limited).as("a script's writes are limited").isNotNull();
        assertThat(refusedByService).as("a burst of writes goes through").isGreaterThanOrEqualTo(TandemUnderTest.SCRIPTED_BURST);
        com.google.rpc.Status details = StatusProto.fromThrowable(limited);
        Duration retryAfter = details.getDetailsList().stream().filter(d -> d.is(RetryInfo.class))
                .map(d -> unpack(d, RetryInfo.class).getRetryDelay())
                .map(d -> Duration.ofSeconds(d.getSeconds(), d.getNanos())).findFirst().orElseThrow();
        assertThat(retryAfter).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2));

        assertThat(flooder.notifications().listNotifications(ListNotificationsRequest.getDefaultInstance()).getNotificationsCount())
                .as("reads have their own limit").isZero();
        assertThat(someoneElse.createCouple().getCoupleId()).as("other people are not limited").isNotBlank();
        Thread.sleep(retryAfter.toMillis());
        assertThatThrownBy(() -> flooder.journal().recordCheckIn(RecordCheckInRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).build()))
                .as("after the wait the write reaches the service again")
                .satisfies(refused -> assertThat(Status.fromThrowable(refused).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    private static <T extends com.google.protobuf.Message> T unpack(com.google.protobuf.Any detail, Class<T> type) {
        try {
            return detail.unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
