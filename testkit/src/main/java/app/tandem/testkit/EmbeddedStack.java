package app.tandem.testkit;

import app.tandem.devservers.DevServers;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The JVM's shared development servers ({@link DevServers}) and the settings that point a service at them, for
 * tests, the devstack and benchmarks.
 */
public final class EmbeddedStack {

    private static EmbeddedStack shared;

    private final DevServers servers;

    private EmbeddedStack(DevServers servers) {
        this.servers = servers;
    }

    public static synchronized EmbeddedStack shared() {
        if (shared == null) {
            shared = new EmbeddedStack(DevServers.shared());
        }
        return shared;
    }

    public String mongoUri() {
        return servers.mongoUri();
    }

    public String kafkaBootstrapServers() {
        return servers.kafkaBootstrapServers();
    }

    /**
     * Settings that point one service at this stack, in a database and consumer group of its own, trusting this JVM's
     * {@link LocalIdentities}; {@code serviceName} is the service's own name, the audience of calls to it.
     */
    public Map<String, Object> serviceProperties(String serviceName) {
        return serviceProperties(serviceName, mongoUri(), kafkaBootstrapServers());
    }

    /** The same for any MongoDB and Kafka, such as real ones in containers. */
    public static Map<String, Object> serviceProperties(String serviceName, String mongoUri, String kafkaBootstrapServers) {
        Map<String, Object> properties = new HashMap<>();
        String unique = serviceName + "-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        properties.put("spring.mongodb.uri", mongoUri);
        properties.put("spring.mongodb.database", unique);
        properties.put("spring.kafka.bootstrap-servers", kafkaBootstrapServers);
        properties.put("tandem.kafka.consumer-group", unique);
        properties.put("tandem.kafka.partitions", 3);
        properties.put("tandem.kafka.replication-factor", 1);
        properties.put("tandem.kafka.min-insync-replicas", 1);
        properties.put("tandem.crypto.master-key", Base64.getEncoder().encodeToString(masterKey));
        properties.put("spring.grpc.server.port", 0);
        properties.putAll(LocalIdentities.shared().serviceProperties(serviceName));
        return properties;
    }
}
