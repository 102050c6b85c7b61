package app.tandem.gateway.forwarding;

import app.tandem.gateway.auth.Authentication;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.grpc.GrpcErrorMapping;
import app.tandem.platform.grpc.MalformedRequests;
import app.tandem.platform.security.Caller;
import app.tandem.platform.security.CallerAssertions;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusException;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call through the gateway: the client's request is checked to parse, routed, and sent on with the caller's
 * assertion; every answer and the final status come back unchanged. A request the client sends as one message is held
 * until the client has finished sending, so a second one is refused here. Each direction reads the next message only
 * when the receiving side is ready for it, so a slow phone slows its own stream and fills no buffer in the gateway. No
 * call outlives the token it was made with.
 *
 * <p>The client's side ({@code server}) is touched by the gateway's call thread until the service's call exists, then
 * only by that call's channel thread (except {@code request}, which grpc-java allows from any thread).
 */
final class ForwardedCall {

    static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("tandem-request-id", Metadata.ASCII_STRING_MARSHALLER);

    private final ServerCall<byte[], byte[]> server;
    private final MethodDescriptor<byte[], byte[]> method;
    private final Message prototype;
    private final Routes.Route route;
    private final CallerAssertions assertions;
    private final Duration unaryDeadline;
    private final Duration streamDeadline;
    private final Caller caller = Caller.current();
    private final Deadline tokenExpiry = untilExpiry(Authentication.tokenValidUntil());
    private final boolean oneRequest;
    /** The client may send more once the service's side can take it. */
    private final AtomicBoolean clientMayWait = new AtomicBoolean();
    /** The service may send more once the client's side can take it. */
    private final AtomicBoolean serviceMayWait = new AtomicBoolean();
    private ClientCall<byte[], byte[]> service;
    private byte[] held;
    private boolean closed;

    ForwardedCall(ServerCall<byte[], byte[]> server, MethodDescriptor<byte[], byte[]> method, Message prototype, Routes.Route route,
                  CallerAssertions assertions, Duration unaryDeadline, Duration streamDeadline) {
        this.server = server;
        this.method = method;
        this.prototype = prototype;
        this.route = route;
        this.assertions = assertions;
        this.unaryDeadline = unaryDeadline;
        this.streamDeadline = streamDeadline;
        this.oneRequest = method.getType().clientSendsOneMessage();
    }

    private static Deadline untilExpiry(Instant validUntil) {
        return Deadline.after(Math.max(0, Duration.between(Instant.now(), validUntil).toNanos()), TimeUnit.NANOSECONDS);
    }

    ServerCall.Listener<byte[]> start() {
        // one more than a one-message call needs, so a second message shows itself
        server.request(oneRequest ? 2 : 1);
        return new ServerCall.Listener<>() {
            @Override
            public void onMessage(byte[] request) {
                if (closed) {
                    return;
                }
                if (!oneRequest) {
                    forward(request);
                } else if (held == null) {
                    held = request;
                } else {
                    refuse(Status.INVALID_ARGUMENT.withDescription("this call takes one request message"), new Metadata());
                }
            }

            @Override
            public void onHalfClose() {
                if (closed) {
                    return;
                }
                if (oneRequest) {
                    if (held == null) {
                        refuse(Status.INVALID_ARGUMENT.withDescription("a request message is required"), new Metadata());
                        return;
                    }
                    forward(held);
                    held = null;
                }
                if (service != null) {
                    service.halfClose();
                }
            }

            @Override
            public void onCancel() {
                if (service != null) {
                    service.cancel("the client cancelled", null);
                }
            }

            @Override
            public void onReady() {
                if (service != null && server.isReady() && serviceMayWait.compareAndSet(true, false)) {
                    service.request(1);
                }
            }
        };
    }

    private void forward(byte[] request) {
        if (service == null) {
            Routes.Target target;
            try {
                target = route.of(prototype.getParserForType().parseFrom(request));
            } catch (InvalidProtocolBufferException malformed) {
                refuse(MalformedRequests.problemsOf(prototype.getDescriptorForType(), request));
                return;
            } catch (InvalidInput unroutable) {
                refuse(unroutable);
                return;
            }
            open(target);
        }
        service.sendMessage(request);
        if (!oneRequest) {
            clientMayWait.set(true);
            if (service.isReady() && clientMayWait.compareAndSet(true, false)) {
                server.request(1);
            }
        }
    }

    private void open(Routes.Target target) {
        Deadline deadline = earliest(Context.current().getDeadline(), tokenExpiry);
        Duration longest = method.getType() == MethodDescriptor.MethodType.UNARY ? unaryDeadline : streamDeadline;
        deadline = earliest(deadline, Deadline.after(longest.toNanos(), TimeUnit.NANOSECONDS));
        Deadline callDeadline = deadline;
        // created in the client's call context: when the client cancels, so does the service's call
        service = target.channel().newCall(method, CallOptions.DEFAULT.withDeadline(callDeadline));
        Metadata headers = new Metadata();
        headers.put(CallerAssertions.HEADER, assertions.sign(caller, target.service(), method.getFullMethodName()));
        service.start(new ClientCall.Listener<>() {
            @Override
            public void onHeaders(Metadata ignored) {
                // the service's own headers stay inside; the client learns the request id
                server.sendHeaders(requestId());
            }

            @Override
            public void onMessage(byte[] answer) {
                server.sendMessage(answer);
                if (!method.getType().serverSendsOneMessage()) {
                    serviceMayWait.set(true);
                    if (server.isReady() && serviceMayWait.compareAndSet(true, false)) {
                        service.request(1);
                    }
                }
            }

            @Override
            public void onReady() {
                if (service.isReady() && clientMayWait.compareAndSet(true, false)) {
                    server.request(1);
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                trailers.merge(requestId());
                if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && callDeadline == tokenExpiry && tokenExpiry.isExpired()) {
                    status = Status.UNAUTHENTICATED.withDescription("the token expired: call again with a fresh one");
                }
                server.close(status, trailers);
            }
        }, headers);
        service.request(method.getType().serverSendsOneMessage() ? 2 : 1);
    }

    private static Deadline earliest(Deadline one, Deadline other) {
        return one == null || other.isBefore(one) ? other : one;
    }

    private Metadata requestId() {
        Metadata headers = new Metadata();
        headers.put(REQUEST_ID, caller.requestId());
        return headers;
    }

    private void refuse(InvalidInput invalid) {
        StatusException status = GrpcErrorMapping.invalidArgument(invalid);
        refuse(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
    }

    /** Only before the service's call exists: afterwards the client's side belongs to that call's thread. */
    private void refuse(Status status, Metadata trailers) {
        closed = true;
        trailers.merge(requestId());
        server.close(status, trailers);
    }
}
