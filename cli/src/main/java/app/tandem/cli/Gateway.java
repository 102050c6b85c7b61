package app.tandem.cli;

import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** Where the gateway is and whose token to send: options every operator command shares. */
final class Gateway {

    /** The services that answer the operators' API, in the order the commands go through them. */
    static final List<String> SERVICES = List.of("journal-service", "plans-service", "notifications-service", "care-service");

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private static final String DEFAULT_TARGET = "127.0.0.1:9090";

    @Option(names = "--gateway", paramLabel = "HOST:PORT",
            description = "The gateway's address (else TANDEM_GATEWAY, else " + DEFAULT_TARGET + ").")
    String target;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "An operator's bearer token, else TANDEM_TOKEN (better: other users of the machine see arguments).")
    String token;

    @Option(names = "--plaintext", description = "Without TLS, as the devstack's gateway answers (else TANDEM_PLAINTEXT=true).")
    boolean plaintext;

    @Option(names = "--json", description = "Machine-readable output: JSON instead of a table.")
    boolean json;

    /** A channel to the gateway; what the options leave open comes from {@code environment}. */
    ManagedChannel open(Map<String, String> environment) {
        target = target != null ? target : environment.getOrDefault("TANDEM_GATEWAY", DEFAULT_TARGET);
        token = token != null ? token : environment.get("TANDEM_TOKEN");
        plaintext = plaintext || "true".equals(environment.get("TANDEM_PLAINTEXT"));
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("no token: give --token or set TANDEM_TOKEN");
        }
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target).maxInboundMessageSize(16 * 1024 * 1024);
        return (plaintext ? builder.usePlaintext() : builder.useTransportSecurity()).build();
    }

    CallCredentials credentials() {
        String header = "Bearer " + token.strip();
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata metadata = new Metadata();
                metadata.put(AUTHORIZATION, header);
                applier.apply(metadata);
            }
        };
    }

    static void close(ManagedChannel channel) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
