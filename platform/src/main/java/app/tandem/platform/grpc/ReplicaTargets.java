package app.tandem.platform.grpc;

import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import io.grpc.StatusOr;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Channels to every replica of a service, calls spread over them by gRPC's {@code round_robin} policy. A target is one
 * address, which gRPC resolves itself ({@code host:port}, or {@code dns:///name:port} for a name with one record per
 * replica, as a Kubernetes headless Service has), or several {@code host:port} separated by commas, which gRPC has no
 * resolver for: the replicas of the devstack share one host and differ by port. Those are resolved here, under the
 * scheme {@value #SCHEME}, registered through {@code META-INF/services}.
 */
public final class ReplicaTargets extends NameResolverProvider {

    public static final String SCHEME = "replicas";

    /** A channel to {@code targets} (see the class comment), balanced round robin over what it resolves to. */
    public static ManagedChannelBuilder<?> channelTo(String targets) {
        List<String> addresses = split(targets);
        String target = addresses.size() == 1 ? addresses.get(0) : SCHEME + ":///" + String.join(",", addresses);
        return ManagedChannelBuilder.forTarget(target).defaultLoadBalancingPolicy("round_robin");
    }

    /** Whether {@code targets} names at least one address and every listed one is {@code host:port}. */
    public static boolean valid(String targets) {
        List<String> addresses = split(targets);
        return !addresses.isEmpty() && addresses.stream().allMatch(a -> a.contains(":"));
    }

    private static List<String> split(String targets) {
        return targets == null ? List.of() : Arrays.stream(targets.split(",")).map(String::trim).filter(a -> !a.isEmpty()).toList();
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 4; // below gRPC's DNS resolver (5), which stays the scheme of a target that names none
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return List.of(InetSocketAddress.class);
    }

    @Override
    public NameResolver newNameResolver(URI target, NameResolver.Args args) {
        if (!SCHEME.equals(target.getScheme()) || target.getPath() == null || target.getPath().length() < 2) {
            return null;
        }
        List<String> addresses = split(target.getPath().substring(1));
        return new Listed(addresses, args.getSynchronizationContext());
    }

    /** A fixed list of addresses, each host looked up again when the channel asks (after a connection failed). */
    private static final class Listed extends NameResolver {
        private final List<String> addresses;
        private final io.grpc.SynchronizationContext context;
        private Listener2 listener;

        Listed(List<String> addresses, io.grpc.SynchronizationContext context) {
            this.addresses = addresses;
            this.context = context;
        }

        @Override
        public String getServiceAuthority() {
            return addresses.get(0);
        }

        @Override
        public void start(Listener2 listener) {
            this.listener = listener;
            resolve();
        }

        @Override
        public void refresh() {
            resolve();
        }

        private void resolve() {
            List<EquivalentAddressGroup> groups = new ArrayList<>();
            for (String address : addresses) {
                int colon = address.lastIndexOf(':');
                InetSocketAddress socket = new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
                if (!socket.isUnresolved()) {
                    groups.add(new EquivalentAddressGroup(socket));
                }
            }
            StatusOr<List<EquivalentAddressGroup>> result = groups.isEmpty()
                    ? StatusOr.fromStatus(Status.UNAVAILABLE.withDescription("no replica's host name resolves"))
                    : StatusOr.fromValue(groups);
            context.execute(() -> listener.onResult2(ResolutionResult.newBuilder().setAddressesOrError(result).build()));
        }

        @Override
        public void shutdown() {
            // nothing held
        }
    }
}
