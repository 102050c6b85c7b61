package app.tandem.platform.grpc;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.StreamObserver;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One public API served by the feature endpoints that implement its RPCs: each endpoint implements the API's
 * generated {@code AsyncService} interface for the RPCs of its feature only. Every RPC must have exactly one
 * endpoint, or the service does not start.
 */
public final class Endpoints {

    private Endpoints() {
    }

    public static <T> BindableService serve(ServiceDescriptor api, Function<T, ServerServiceDefinition> bind, List<? extends T> endpoints) {
        Map<String, ServerMethodDefinition<?, ?>> methods = new LinkedHashMap<>();
        Map<String, Object> owners = new LinkedHashMap<>();
        for (T endpoint : endpoints) {
            ServerServiceDefinition bound = bind.apply(endpoint);
            for (MethodDescriptor<?, ?> method : api.getMethods()) {
                if (!implementsRpc(endpoint, method)) {
                    continue;
                }
                Object other = owners.putIfAbsent(method.getFullMethodName(), endpoint);
                if (other != null) {
                    throw new IllegalStateException(method.getFullMethodName() + " is implemented by both "
                            + ClassUtils.getUserClass(other).getSimpleName() + " and " + ClassUtils.getUserClass(endpoint).getSimpleName());
                }
                methods.put(method.getFullMethodName(), bound.getMethod(method.getFullMethodName()));
            }
        }
        List<String> missing = new ArrayList<>();
        api.getMethods().forEach(m -> {
            if (!methods.containsKey(m.getFullMethodName())) {
                missing.add(m.getFullMethodName());
            }
        });
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no endpoint implements " + String.join(", ", missing));
        }
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(api);
        methods.values().forEach(service::addMethod);
        ServerServiceDefinition definition = service.build();
        return () -> definition;
    }

    /** Whether the endpoint's class overrides the interface's default (which answers UNIMPLEMENTED) for exactly this RPC. */
    private static boolean implementsRpc(Object endpoint, MethodDescriptor<?, ?> rpc) {
        String bare = rpc.getBareMethodName();
        String javaName = Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
        Object request = ((MethodDescriptor.PrototypeMarshaller<?>) rpc.getRequestMarshaller()).getMessagePrototype();
        try {
            Method method = ClassUtils.getUserClass(endpoint).getMethod(javaName, request.getClass(), StreamObserver.class);
            return !method.isDefault() && !method.getDeclaringClass().isInterface();
        } catch (NoSuchMethodException none) {
            return false;
        }
    }
}
