package app.tandem.gateway.forwarding;

import app.tandem.platform.security.CallerAssertions;
import com.google.protobuf.Message;
import app.tandem.api.v1.Access;
import app.tandem.platform.grpc.AccessRules;
import app.tandem.platform.grpc.PublicApi;
import app.tandem.platform.grpc.RawBytes;
import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway's public API: every service of {@code tandem.api.v1}, each forwarded as it is to the service that owns
 * it, by one handler built from the service's descriptor. Adding an RPC to a public API needs nothing here.
 */
public final class Forwarding {

    private final Routes routes;
    private final CallerAssertions assertions;
    private final Duration unaryDeadline;
    private final Duration streamDeadline;
    private final ServerInterceptor[] edge;

    /**
     * @param edge what every call passes before it is forwarded, in order (authentication first, then what needs the
     *             verified caller)
     */
    public Forwarding(Map<String, Channel> targets, CallerAssertions assertions, Duration unaryDeadline, Duration streamDeadline,
                      ServerInterceptor... edge) {
        this.routes = new Routes(targets);
        this.assertions = assertions;
        this.unaryDeadline = unaryDeadline;
        this.streamDeadline = streamDeadline;
        // grpc-java runs the last interceptor given first
        this.edge = reversed(edge);
    }

    private static ServerInterceptor[] reversed(ServerInterceptor[] inOrder) {
        List<ServerInterceptor> reversed = new ArrayList<>(List.of(inOrder));
        java.util.Collections.reverse(reversed);
        return reversed.toArray(ServerInterceptor[]::new);
    }

    /** The public API named {@code apiName}, forwarded. */
    public BindableService forwarded(String apiName) {
        ServiceDescriptor api = PublicApi.services().stream().filter(s -> s.getName().equals(apiName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no public API " + apiName));
        ServerServiceDefinition definition = forward(api);
        return () -> definition;
    }

    /** {@code api} forwarded, behind the gateway's edge. */
    public ServerServiceDefinition forward(ServiceDescriptor api) {
        Routes.Route route = routes.of(api);
        int ownDeadline = AccessRules.of(api).map(Access::getUnaryDeadlineSeconds).orElse(0);
        Duration deadline = ownDeadline > 0 ? Duration.ofSeconds(ownDeadline) : unaryDeadline;
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(api.getName()).setSchemaDescriptor(api.getSchemaDescriptor());
        List<ServerMethodDefinition<byte[], byte[]>> methods = new ArrayList<>();
        for (MethodDescriptor<?, ?> method : api.getMethods()) {
            MethodDescriptor<byte[], byte[]> raw = method.toBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER).build();
            descriptor.addMethod(raw);
            Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
            methods.add(ServerMethodDefinition.create(raw, (call, headers) ->
                    new ForwardedCall(call, raw, prototype, route, assertions, deadline, streamDeadline).start()));
        }
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(service::addMethod);
        return ServerInterceptors.intercept(service.build(), edge);
    }
}
