package app.tandem.platform.security;

import app.tandem.api.v1.Access;
import app.tandem.platform.grpc.AccessRules;
import app.tandem.platform.logging.RequestIds;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * A service's half of the trust boundary: every call must carry an assertion from a caller this service trusts
 * (UNAUTHENTICATED otherwise) whose roles the called API admits (PERMISSION_DENIED otherwise). The verified
 * {@link Caller} is then the call's context. Only health checks and reflection are open.
 */
public final class TrustedCallers implements ServerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(TrustedCallers.class);

    private final AssertionVerifier verifier;

    public TrustedCallers(AssertionVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (AccessRules.isOpen(call.getMethodDescriptor())) {
            return next.startCall(call, headers);
        }
        String assertion = headers.get(CallerAssertions.HEADER);
        if (assertion == null) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription("internal calls need the caller's assertion"));
        }
        Caller caller;
        try {
            caller = verifier.verify(assertion, call.getMethodDescriptor().getFullMethodName());
        } catch (AssertionVerifier.Refused refused) {
            log.warn("refused {}: an assertion {}", call.getMethodDescriptor().getFullMethodName(), refused.getMessage());
            return refuse(call, Status.UNAUTHENTICATED.withDescription("the caller's assertion is not valid here"));
        }
        Optional<Access> access = AccessRules.of(call.getMethodDescriptor());
        if (access.isEmpty() || !AccessRules.admits(access.get(), caller.roles(), caller.subject())) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription("not open to your role"));
        }
        return RequestIds.inLogs(caller.requestId(), () -> Contexts.interceptCall(caller.attachTo(io.grpc.Context.current()), call, headers, next));
    }

    static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
