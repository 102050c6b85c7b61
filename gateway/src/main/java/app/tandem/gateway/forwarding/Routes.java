package app.tandem.gateway.forwarding;

import app.tandem.api.v1.Access;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.grpc.AccessRules;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.Channel;
import io.grpc.ServiceDescriptor;

import java.util.Map;
import java.util.Optional;

/**
 * Which service answers a call of a public API: the owner its access option names, or, for an API every service
 * implements (the operators'), the service its request names.
 */
final class Routes {

    /** A service to call: its name (the audience of the assertion) and a channel to it. */
    record Target(String service, Channel channel) {
    }

    private final Map<String, Channel> channels;

    Routes(Map<String, Channel> channels) {
        this.channels = Map.copyOf(channels);
    }

    /** The route of every call of {@code api}; the gateway does not start with an API it could not route. */
    Route of(ServiceDescriptor api) {
        Access access = AccessRules.of(api).orElseThrow(() -> new IllegalStateException(api.getName() + " declares no access option"));
        if (!access.getRouteByField().isEmpty()) {
            String field = access.getRouteByField();
            return request -> byField(request, field);
        }
        Channel channel = channels.get(access.getOwner());
        if (channel == null) {
            throw new IllegalStateException("no tandem.gateway.targets." + access.getOwner() + " for " + api.getName());
        }
        Target owner = new Target(access.getOwner(), channel);
        return request -> owner;
    }

    private Target byField(Message request, String field) {
        FieldDescriptor named = request.getDescriptorForType().findFieldByName(field);
        String service = named == null ? "" : (String) request.getField(named);
        return Optional.ofNullable(channels.get(service)).map(channel -> new Target(service, channel))
                .orElseThrow(() -> InvalidInput.of(field, "must name a service: one of " + channels.keySet().stream().sorted().toList()));
    }

    @FunctionalInterface
    interface Route {
        Target of(Message request);
    }
}
