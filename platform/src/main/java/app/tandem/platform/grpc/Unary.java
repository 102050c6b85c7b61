package app.tandem.platform.grpc;

import io.grpc.stub.StreamObserver;

/** The one answer of a unary call. */
public final class Unary {

    private Unary() {
    }

    public static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }
}
