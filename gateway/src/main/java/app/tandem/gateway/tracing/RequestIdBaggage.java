package app.tandem.gateway.tracing;

import app.tandem.platform.TandemApplication;
import app.tandem.platform.security.Caller;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Tracer;

/**
 * The call's request id (the one its assertions and answers carry) as trace baggage while the gateway handles the
 * client's messages, so it is in the gateway's log lines and travels with the forwarded call to the service's.
 * After {@code Authentication}, which makes the request id.
 */
public final class RequestIdBaggage implements ServerInterceptor {

    private final Tracer tracer;

    public RequestIdBaggage(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String requestId = Caller.current().requestId();
        ServerCall.Listener<Q> listener;
        try (BaggageInScope ignored = inScope(requestId)) {
            listener = next.startCall(call, headers);
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                try (BaggageInScope ignored = inScope(requestId)) {
                    super.onMessage(message);
                }
            }

            @Override
            public void onHalfClose() {
                try (BaggageInScope ignored = inScope(requestId)) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onCancel() {
                try (BaggageInScope ignored = inScope(requestId)) {
                    super.onCancel();
                }
            }

            @Override
            public void onReady() {
                try (BaggageInScope ignored = inScope(requestId)) {
                    super.onReady();
                }
            }
        };
    }

    private BaggageInScope inScope(String requestId) {
        return tracer.createBaggageInScope(TandemApplication.REQUEST_ID, requestId);
    }
}
