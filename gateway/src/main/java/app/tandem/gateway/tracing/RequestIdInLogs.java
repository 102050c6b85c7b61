package app.tandem.gateway.tracing;

import app.tandem.platform.logging.RequestIds;
import app.tandem.platform.security.Caller;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** The call's request id (made by {@code Authentication}, which runs before) in the gateway's log lines for the call. */
public final class RequestIdInLogs implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return RequestIds.inLogs(Caller.current().requestId(), () -> next.startCall(call, headers));
    }
}
