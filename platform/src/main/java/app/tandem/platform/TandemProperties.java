package app.tandem.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

import static app.tandem.platform.SettingChecks.atLeastOne;
import static app.tandem.platform.SettingChecks.longerThanZero;

/**
 * Settings every service shares ({@code tandem.*}), checked when the service starts: a setting that cannot work stops
 * it with the setting's name. Where and how to connect to MongoDB and Kafka are Spring's {@code spring.mongodb.*} and
 * {@code spring.kafka.*}.
 */
@ConfigurationProperties("tandem")
public record TandemProperties(@DefaultValue Kafka kafka, @DefaultValue EventStore eventStore, @DefaultValue Crypto crypto,
                               @DefaultValue Connections connections) {

    /**
     * Tandem's own Kafka settings.
     *
     * @param topic             the topic this service publishes its integration events to; none when it publishes nothing
     * @param consumerGroup     the consumer group this service reads integration events in; defaults to the service name
     * @param instanceId        static group membership: a restarted instance takes its partitions back at once instead
     *                          of waiting for its previous incarnation's session to time out. Must differ between
     *                          replicas of one service; defaults to the consumer group and the host name
     * @param partitions        partitions of the topics a service creates
     * @param replicationFactor replicas of each partition
     * @param minInsyncReplicas the replicas a write must reach
     * @param consumerThreads   consumer threads; each owns some partitions and handles each in order (one couple's
     *                          events stay in order)
     * @param attempts          attempts at a record that fails for a reason that does not pass by itself, before it
     *                          is set aside
     */
    public record Kafka(String topic, String consumerGroup, String instanceId, @DefaultValue("6") int partitions,
                        @DefaultValue("3") short replicationFactor, @DefaultValue("2") int minInsyncReplicas,
                        @DefaultValue("4") int consumerThreads, @DefaultValue("5") int attempts) {
        public Kafka {
            atLeastOne("tandem.kafka.partitions", partitions);
            atLeastOne("tandem.kafka.replication-factor", replicationFactor);
            atLeastOne("tandem.kafka.min-insync-replicas", minInsyncReplicas);
            atLeastOne("tandem.kafka.consumer-threads", consumerThreads);
            atLeastOne("tandem.kafka.attempts", attempts);
            if (minInsyncReplicas > replicationFactor) {
                throw new IllegalArgumentException("tandem.kafka.min-insync-replicas must not exceed tandem.kafka.replication-factor");
            }
        }
    }

    /**
     * @param gapTimeout         how long a reader waits for a position taken but not yet stored before it gives it up
     * @param batchSize          events read from the store at once
     * @param tokenWriteInterval the longest a processor's token waits to be written while the processor moves forward:
     *                           after a crash, the events of at most this long are handled again, which idempotent
     *                           handlers make harmless
     * @param readYourWritesWait the longest a read from a projection waits for it to have handled what was stored
     *                           before the read
     * @param pollInterval       how often processors look for events another replica stored (events stored by this
     *                           replica wake them at once): what a read on a replica waits for another's writes
     * @param claimTimeout       how long a replica's claim on a processor's segment lasts unless it writes again: a
     *                           replica that dies holding segments hands them to the others after this long
     * @param replicaId          the name this replica claims segments under; must differ between the replicas of one
     *                           service; defaults to the process and host ({@code pid@host})
     * @param resetDeadline      how long an operator's processor reset waits for every replica to hand back its
     *                           segments before it gives up, resetting nothing; within the operators' call deadline
     * @param resetWatchInterval how often each replica looks for a reset asked of it
     */
    public record EventStore(@DefaultValue("60s") Duration gapTimeout, @DefaultValue("500") int batchSize,
                             @DefaultValue("100ms") Duration tokenWriteInterval, @DefaultValue("2s") Duration readYourWritesWait,
                             @DefaultValue("10s") Duration claimTimeout, String replicaId,
                             @DefaultValue("60s") Duration resetDeadline, @DefaultValue("250ms") Duration resetWatchInterval,
                             @DefaultValue("200ms") Duration pollInterval) {
        public EventStore {
            longerThanZero("tandem.event-store.gap-timeout", gapTimeout);
            atLeastOne("tandem.event-store.batch-size", batchSize);
            longerThanZero("tandem.event-store.token-write-interval", tokenWriteInterval);
            longerThanZero("tandem.event-store.read-your-writes-wait", readYourWritesWait);
            longerThanZero("tandem.event-store.claim-timeout", claimTimeout);
            longerThanZero("tandem.event-store.reset-deadline", resetDeadline);
            longerThanZero("tandem.event-store.reset-watch-interval", resetWatchInterval);
            longerThanZero("tandem.event-store.poll-interval", pollInterval);
            if (replicaId == null || replicaId.isBlank()) {
                replicaId = ManagementFactory.getRuntimeMXBean().getName();
            }
        }
    }

    /** @param masterKey Base64 AES-256 key that wraps every person's key; a service that encrypts never invents one */
    public record Crypto(String masterKey) {
        public Crypto {
            if (masterKey != null && decodedLength(masterKey) != 32) {
                throw new IllegalArgumentException("tandem.crypto.master-key must be 32 bytes in Base64");
            }
        }

        /** The master key's bytes; a service that encrypts does not start without one. */
        public byte[] masterKeyBytes() {
            if (masterKey == null) {
                throw new IllegalStateException("tandem.crypto.master-key is required");
            }
            return Base64.getDecoder().decode(masterKey);
        }

        /** A key for one purpose, derived from the master key (SHA-256 of the purpose and the key), never the key itself. */
        public byte[] derivedKey(String purpose) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update(purpose.getBytes(StandardCharsets.UTF_8));
                digest.update(masterKeyBytes());
                return digest.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }

        private static int decodedLength(String key) {
            try {
                return Base64.getDecoder().decode(key).length;
            } catch (IllegalArgumentException notBase64) {
                return -1;
            }
        }
    }

    /**
     * What one client connection may ask of a gRPC server, beyond Spring gRPC's own settings (set in
     * {@code TandemApplication}). These defaults are a service's, whose one client connection is the gateway's with
     * everyone's calls on it; the gateway takes 100 calls and 200 resets per connection.
     *
     * @param maxConcurrentCalls calls one connection may have open at once; more wait for one to end
     * @param maxResets          HTTP/2 stream resets one connection may send per {@code resetWindow} before it is closed
     *                           (Rapid Reset)
     */
    public record Connections(@DefaultValue("10000") int maxConcurrentCalls, @DefaultValue("10000") int maxResets,
                              @DefaultValue("10s") Duration resetWindow) {
        public Connections {
            atLeastOne("tandem.connections.max-concurrent-calls", maxConcurrentCalls);
            atLeastOne("tandem.connections.max-resets", maxResets);
            if (resetWindow == null || resetWindow.toSeconds() < 1) {
                throw new IllegalArgumentException("tandem.connections.reset-window must be at least a second");
            }
        }
    }
}
