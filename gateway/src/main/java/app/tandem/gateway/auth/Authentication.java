package app.tandem.gateway.auth;

import app.tandem.api.v1.Access;
import app.tandem.platform.grpc.AccessRules;
import app.tandem.platform.security.Caller;
import app.tandem.platform.security.JwtVerifier;
import app.tandem.platform.security.PersonIds;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The gateway's half of the trust boundary: every forwarded call carries a person's bearer token (UNAUTHENTICATED
 * otherwise) whose roles the called API admits (PERMISSION_DENIED otherwise). The verified person, with a fresh
 * request id, becomes the call's {@link Caller} under the person's opaque id (never the token's subject), which the
 * gateway then asserts to the owning service.
 */
public class Authentication implements ServerInterceptor {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Instant> TOKEN_VALID_UNTIL = Context.key("tandem-token-valid-until");

    private final JwtVerifier verifier;
    private final PersonIds personIds;

    public Authentication(JwtVerifier verifier, PersonIds personIds) {
        this.verifier = verifier;
        this.personIds = personIds;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Optional<JwtVerifier.Person> person = bearer(headers.get(AUTHORIZATION)).flatMap(verifier::verify);
        if (person.isEmpty()) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription("a valid bearer token is required"));
        }
        Optional<Access> access = AccessRules.of(call.getMethodDescriptor());
        if (access.isEmpty() || !AccessRules.admits(access.get(), person.get().roles(), person.get().personId())) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription("not open to your role"));
        }
        Caller caller = Caller.person(personIds.of(person.get().personId()), person.get().roles(), person.get().organisation(),
                UUID.randomUUID().toString());
        Context context = caller.attachTo(Context.current()).withValue(TOKEN_VALID_UNTIL, person.get().validUntil());
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** Until when the current call's token may be believed: a call through the gateway ends then. */
    public static Instant tokenValidUntil() {
        Instant until = TOKEN_VALID_UNTIL.get();
        if (until == null) {
            throw new IllegalStateException("no verified token on this call");
        }
        return until;
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private static Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).trim());
    }
}
