package app.tandem.gateway.auth;

import app.tandem.internal.v1.Actor;
import app.tandem.platform.security.JwtVerifier;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.util.Optional;
import java.util.Set;

/**
 * Every public call carries a bearer token; the verified subject becomes the actor forwarded to services.
 * Only health checks and reflection are open, as load balancers and tools need them without a person.
 */
public class Authentication implements ServerInterceptor {

    private static final Context.Key<String> PERSON = Context.key("tandem-person-id");
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> OPEN_SERVICES = Set.of(
            "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");

    private final JwtVerifier verifier;

    public Authentication(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    /** The authenticated person of the current call. */
    public static Actor actor() {
        String person = PERSON.get();
        if (person == null) {
            throw new IllegalStateException("no authenticated person on this call");
        }
        return Actor.newBuilder().setPersonId(person).build();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (OPEN_SERVICES.contains(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        Optional<String> person = bearer(headers.get(AUTHORIZATION)).flatMap(verifier::verify);
        if (person.isEmpty()) {
            call.close(Status.UNAUTHENTICATED.withDescription("a valid bearer token is required"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValue(PERSON, person.get()), call, headers, next);
    }

    private static Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).trim());
    }
}
