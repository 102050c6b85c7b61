package app.tandem.platform.logging;

import io.grpc.ForwardingServerCallListener;
import io.grpc.ServerCall;
import org.slf4j.MDC;

import java.util.function.Supplier;

/**
 * The gateway's id of the request a call serves, in the MDC (and so in every log line) while the call's code runs, next
 * to the trace and span ids. The gateway makes it; a service reads it from the caller's verified assertion, never from
 * a header of its own, so a log line's request id is the one the caller was answered with.
 */
public final class RequestIds {

    public static final String MDC_KEY = "request_id";

    private RequestIds() {
    }

    /** The listener {@code start} returns, with the request id in the MDC while it starts and in each of its callbacks. */
    public static <Q> ServerCall.Listener<Q> inLogs(String requestId, Supplier<ServerCall.Listener<Q>> start) {
        ServerCall.Listener<Q> listener;
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, requestId)) {
            listener = start.get();
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                logged(requestId, () -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                logged(requestId, super::onHalfClose);
            }

            @Override
            public void onCancel() {
                logged(requestId, super::onCancel);
            }

            @Override
            public void onComplete() {
                logged(requestId, super::onComplete);
            }

            @Override
            public void onReady() {
                logged(requestId, super::onReady);
            }
        };
    }

    private static void logged(String requestId, Runnable callback) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, requestId)) {
            callback.run();
        }
    }
}
