package app.tandem.gateway;

import io.grpc.stub.AbstractStub;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.TimeUnit;

/**
 * How the gateway forwards a unary call: with a deadline, and with the owning service's status (and its
 * field violations) passed back unchanged by the shared error mapping when the call fails.
 */
public final class Forwarding {

    static final long DEADLINE_SECONDS = 10;

    private Forwarding() {
    }

    public static <S extends AbstractStub<S>> S bounded(S stub) {
        return stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }
}
