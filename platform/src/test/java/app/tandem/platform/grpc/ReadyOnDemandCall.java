package app.tandem.platform.grpc;

import io.grpc.stub.ServerCallStreamObserver;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A server call whose client takes messages only while it is ready, and becomes ready when a test says so. */
public final class ReadyOnDemandCall<T> extends ServerCallStreamObserver<T> {
    public final List<T> sent = new CopyOnWriteArrayList<>();
    public final AtomicInteger readyAsked = new AtomicInteger();
    public final AtomicReference<Throwable> failure = new AtomicReference<>();
    public final AtomicBoolean completed = new AtomicBoolean();
    private volatile boolean ready;
    private volatile boolean cancelled;
    private volatile Runnable onReady = () -> { };
    private volatile Runnable onCancel = () -> { };

    public ReadyOnDemandCall(boolean ready) {
        this.ready = ready;
    }

    public void becomeReady() {
        ready = true;
        onReady.run();
    }

    public void cancel() {
        cancelled = true;
        onCancel.run();
    }

    @Override
    public boolean isReady() {
        readyAsked.incrementAndGet();
        return ready;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
        onReady = handler;
    }

    @Override
    public void setOnCancelHandler(Runnable handler) {
        onCancel = handler;
    }

    @Override
    public void onNext(T value) {
        sent.add(value);
    }

    @Override
    public void onError(Throwable t) {
        failure.set(t);
    }

    @Override
    public void onCompleted() {
        completed.set(true);
    }

    @Override
    public void setCompression(String compression) {
    }

    @Override
    public void disableAutoInboundFlowControl() {
    }

    @Override
    public void request(int count) {
    }

    @Override
    public void setMessageCompression(boolean enable) {
    }
}
