package app.tandem.devservers;

/**
 * One Kafka broker and one Mongo-wire server per JVM, shared by every test in it, started on first use and stopped
 * when the JVM ends. Tests take fresh database names and topics so they never see each other's data.
 */
public final class DevServers {

    private static DevServers shared;

    private final EmbeddedMongo mongo;
    private final EmbeddedKafka kafka;

    private DevServers(EmbeddedMongo mongo, EmbeddedKafka kafka) {
        this.mongo = mongo;
        this.kafka = kafka;
    }

    public static synchronized DevServers shared() {
        if (shared == null) {
            shared = new DevServers(EmbeddedMongo.inMemory(), EmbeddedKafka.temporary(3));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                shared.kafka.close();
                shared.mongo.close();
            }, "dev-servers-shutdown"));
        }
        return shared;
    }

    public String mongoUri() {
        return mongo.connectionString();
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }
}
