package app.tandem.platform.grpc;

import app.tandem.api.v1.Access;
import app.tandem.api.v1.AccessOuterClass;
import app.tandem.api.v1.Role;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;

import java.util.Optional;
import java.util.Set;

/** The access rule a proto service declares ({@code option (tandem.api.v1.access)}), read from its descriptor. */
public final class AccessRules {

    /** Answered without a caller: load balancers, orchestrators and tools need them before anyone signs in. */
    public static final Set<String> OPEN_SERVICES = Set.of(
            "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");

    private AccessRules() {
    }

    public static boolean isOpen(MethodDescriptor<?, ?> method) {
        return OPEN_SERVICES.contains(method.getServiceName());
    }

    /** The rule of the method's service; empty when it declares none, which admits nobody. */
    public static Optional<Access> of(MethodDescriptor<?, ?> method) {
        return of(method.getSchemaDescriptor());
    }

    public static Optional<Access> of(ServiceDescriptor service) {
        return of(service.getSchemaDescriptor());
    }

    private static Optional<Access> of(Object schema) {
        if (schema instanceof ProtoServiceDescriptorSupplier proto) {
            var options = proto.getServiceDescriptor().getOptions();
            if (options.hasExtension(AccessOuterClass.access)) {
                return Optional.of(options.getExtension(AccessOuterClass.access));
            }
        }
        return Optional.empty();
    }

    /** Whether the method declares that it changes nothing ({@code option (tandem.api.v1.read_only)}). */
    public static boolean readOnly(MethodDescriptor<?, ?> method) {
        return method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier proto
                && proto.getMethodDescriptor().getOptions().getExtension(AccessOuterClass.readOnly);
    }

    /** Whether a caller with {@code roles}, named {@code subject}, may call under this rule. */
    public static boolean admits(Access access, Set<Role> roles, String subject) {
        for (Role role : access.getRolesList()) {
            if (roles.contains(role) && (role != Role.ROLE_SERVICE || access.getCallersList().contains(subject))) {
                return true;
            }
        }
        return false;
    }
}
