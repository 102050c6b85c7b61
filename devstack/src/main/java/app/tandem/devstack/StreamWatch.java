package app.tandem.devstack;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A server stream opened through the gateway, as a queue of what arrived; closing it hangs up. */
class StreamWatch<T> implements AutoCloseable {

    private final Context.CancellableContext context;
    private final LinkedBlockingQueue<T> received = new LinkedBlockingQueue<>();
    private volatile Status ended;

    /** @param call starts the call with the observer it is given */
    StreamWatch(Consumer<StreamObserver<T>> call) {
        this.context = Context.current().withCancellation();
        context.run(() -> call.accept(new StreamObserver<>() {
            @Override
            public void onNext(T message) {
                received.add(message);
            }

            @Override
            public void onError(Throwable t) {
                ended = Status.fromThrowable(t); // the caller sees no more messages and decides what that means
            }

            @Override
            public void onCompleted() {
                ended = Status.OK;
            }
        }));
    }

    /** The next message, or null when none arrived within the timeout. */
    T next(Duration timeout) throws InterruptedException {
        return received.poll(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** How the server ended the stream, null while it is open. */
    Status ended() {
        return ended;
    }

    @Override
    public void close() {
        context.cancel(null);
    }
}
