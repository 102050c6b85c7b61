package app.tandem.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** Connection settings shared by every service; the defaults point at the devstack's embedded servers. */
@ConfigurationProperties("tandem")
public class TandemProperties {

    private final Mongo mongo = new Mongo();
    private final Kafka kafka = new Kafka();
    private final EventStore eventStore = new EventStore();
    private final Crypto crypto = new Crypto();
    private final Connections connections = new Connections();

    public Mongo getMongo() {
        return mongo;
    }

    public Kafka getKafka() {
        return kafka;
    }

    public EventStore getEventStore() {
        return eventStore;
    }

    public Crypto getCrypto() {
        return crypto;
    }

    public Connections getConnections() {
        return connections;
    }

    public static class Mongo {
        private String uri = "mongodb://127.0.0.1:27017";
        /** Each service owns one database; no service reads another's. */
        private String database;

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        public String getDatabase() {
            return database;
        }

        public void setDatabase(String database) {
            this.database = database;
        }
    }

    /** Tandem's own Kafka settings; where and how to connect (servers, security, client id) are Spring's {@code spring.kafka.*}. */
    public static class Kafka {
        /** The topic this service publishes its integration events to; none when it publishes nothing. */
        private String topic;
        /** The consumer group this service reads integration events in; defaults to the service name. */
        private String consumerGroup;
        /**
         * Static group membership: a restarted instance takes its partitions back at once instead of waiting
         * for its previous incarnation's session to time out. Must differ between replicas of one service;
         * defaults to the consumer group and the host name.
         */
        private String instanceId;
        /** Partitions, replicas and the replicas a write must reach, for the topics a service creates. */
        private int partitions = 6;
        private short replicationFactor = 3;
        private int minInsyncReplicas = 2;
        /** Consumer threads; each owns some partitions and handles each in order (one couple's events stay in order). */
        private int consumerThreads = 4;
        /** Attempts at a record that fails for a reason that does not pass by itself, before it is set aside. */
        private int attempts = 5;

        public String getTopic() {
            return topic;
        }

        public void setTopic(String topic) {
            this.topic = topic;
        }

        public String getConsumerGroup() {
            return consumerGroup;
        }

        public void setConsumerGroup(String consumerGroup) {
            this.consumerGroup = consumerGroup;
        }

        public String getInstanceId() {
            return instanceId;
        }

        public void setInstanceId(String instanceId) {
            this.instanceId = instanceId;
        }

        public int getPartitions() {
            return partitions;
        }

        public void setPartitions(int partitions) {
            this.partitions = partitions;
        }

        public short getReplicationFactor() {
            return replicationFactor;
        }

        public void setReplicationFactor(short replicationFactor) {
            this.replicationFactor = replicationFactor;
        }

        public int getMinInsyncReplicas() {
            return minInsyncReplicas;
        }

        public void setMinInsyncReplicas(int minInsyncReplicas) {
            this.minInsyncReplicas = minInsyncReplicas;
        }

        public int getConsumerThreads() {
            return consumerThreads;
        }

        public void setConsumerThreads(int consumerThreads) {
            this.consumerThreads = consumerThreads;
        }

        public int getAttempts() {
            return attempts;
        }

        public void setAttempts(int attempts) {
            this.attempts = attempts;
        }
    }

    public static class EventStore {
        private Duration gapTimeout = Duration.ofSeconds(60);
        private int batchSize = 500;
        /**
         * The longest a processor's token waits to be written while the processor moves forward: after a crash, the
         * events of at most this long are handled again, which idempotent handlers make harmless.
         */
        private Duration tokenWriteInterval = Duration.ofMillis(100);
        /** The longest a read from a projection waits for it to have handled what was stored before the read. */
        private Duration readYourWritesWait = Duration.ofSeconds(2);

        public Duration getReadYourWritesWait() {
            return readYourWritesWait;
        }

        public void setReadYourWritesWait(Duration readYourWritesWait) {
            this.readYourWritesWait = readYourWritesWait;
        }

        public Duration getTokenWriteInterval() {
            return tokenWriteInterval;
        }

        public void setTokenWriteInterval(Duration tokenWriteInterval) {
            this.tokenWriteInterval = tokenWriteInterval;
        }

        public Duration getGapTimeout() {
            return gapTimeout;
        }

        public void setGapTimeout(Duration gapTimeout) {
            this.gapTimeout = gapTimeout;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }
    }

    public static class Crypto {
        /** Base64 AES-256 key that wraps every person's key. Required: a service never invents one. */
        private String masterKey;

        public String getMasterKey() {
            return masterKey;
        }

        public void setMasterKey(String masterKey) {
            this.masterKey = masterKey;
        }
    }

    /**
     * What one client connection may ask of a gRPC server, beyond Spring gRPC's own settings (set in
     * {@code TandemApplication}). These defaults are a service's, whose one client connection is the gateway's with
     * everyone's calls on it; the gateway takes 100 calls and 200 resets per connection.
     */
    public static class Connections {
        /** Calls one connection may have open at once; more wait for one to end. */
        private int maxConcurrentCalls = 10_000;
        /** HTTP/2 stream resets one connection may send per {@link #resetWindow} before it is closed (Rapid Reset). */
        private int maxResets = 10_000;
        private Duration resetWindow = Duration.ofSeconds(10);

        public int getMaxConcurrentCalls() {
            return maxConcurrentCalls;
        }

        public void setMaxConcurrentCalls(int maxConcurrentCalls) {
            this.maxConcurrentCalls = maxConcurrentCalls;
        }

        public int getMaxResets() {
            return maxResets;
        }

        public void setMaxResets(int maxResets) {
            this.maxResets = maxResets;
        }

        public Duration getResetWindow() {
            return resetWindow;
        }

        public void setResetWindow(Duration resetWindow) {
            this.resetWindow = resetWindow;
        }
    }
}
