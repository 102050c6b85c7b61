package app.tandem.platform.security;

import app.tandem.api.v1.Role;
import app.tandem.platform.domain.AccessDenied;
import io.grpc.Context;

import java.util.Set;

/**
 * Who makes the current call, as verified at the edge: a person with their roles (and a counselor's organisation),
 * or another Tandem service under its own name. Endpoints read it here and never from a request message.
 */
public record Caller(String subject, Set<Role> roles, String organisation, String requestId) {

    static final Context.Key<Caller> KEY = Context.key("tandem-caller");

    public Caller {
        roles = Set.copyOf(roles);
        organisation = organisation == null ? "" : organisation;
    }

    public static Caller person(String personId, Set<Role> roles, String organisation, String requestId) {
        return new Caller(personId, roles, organisation, requestId);
    }

    public static Caller service(String serviceName, String requestId) {
        return new Caller(serviceName, Set.of(Role.ROLE_SERVICE), "", requestId);
    }

    /** The verified caller of the call this thread serves; a call without one never reaches an endpoint. */
    public static Caller current() {
        Caller caller = KEY.get();
        if (caller == null) {
            throw new IllegalStateException("no verified caller on this call");
        }
        return caller;
    }

    public Context attachTo(Context context) {
        return context.withValue(KEY, this);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean isService() {
        return has(Role.ROLE_SERVICE);
    }

    /** The person this call acts for; a service never acts as a person. */
    public String personId() {
        if (isService()) {
            throw new AccessDenied("a service cannot act as a person");
        }
        return subject;
    }
}
