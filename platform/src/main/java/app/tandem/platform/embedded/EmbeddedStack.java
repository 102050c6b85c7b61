package app.tandem.platform.embedded;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One Kafka broker and one Mongo-wire server per JVM, shared by every test in it, started on first use.
 * Each test gets fresh database names so tests never see each other's data.
 */
public final class EmbeddedStack {

    private static EmbeddedStack shared;

    private final EmbeddedMongo mongo;
    private final EmbeddedKafka kafka;

    private EmbeddedStack(EmbeddedMongo mongo, EmbeddedKafka kafka) {
        this.mongo = mongo;
        this.kafka = kafka;
    }

    public static synchronized EmbeddedStack shared() {
        if (shared == null) {
            shared = new EmbeddedStack(EmbeddedMongo.inMemory(), EmbeddedKafka.temporary(3));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                shared.kafka.close();
                shared.mongo.close();
            }, "embedded-stack-shutdown"));
        }
        return shared;
    }

    public String mongoUri() {
        return mongo.connectionString();
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
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
        properties.put("tandem.mongo.uri", mongoUri);
        properties.put("tandem.mongo.database", unique);
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
