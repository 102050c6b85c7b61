package app.tandem.devservers;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.core.KafkaAdmin;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A real Kafka broker in KRaft mode (broker and controller in one node), in this process, from the Kafka
 * jars. Its log lives in a folder of the caller's choosing, so a devstack restart, clean or after SIGKILL,
 * finds every acknowledged record still there.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final String CLUSTER_ID = "VGFuZGVtRGV2c3RhY2tLQQ";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;
    private final boolean deleteOnClose;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path logDir, boolean deleteOnClose) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
        this.deleteOnClose = deleteOnClose;
    }

    /** A broker whose log survives restarts, listening on {@code port} (0 for any free port). */
    public static EmbeddedKafka onDisk(Path logDir, String host, int port, int partitions) {
        return start(logDir, host, port, partitions, false);
    }

    /** For tests: a throw-away log, any free port. */
    public static EmbeddedKafka temporary(int partitions) {
        try {
            return start(Files.createTempDirectory("tandem-kafka"), "127.0.0.1", 0, partitions, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates {@code topics} with {@code partitions} each on one broker, as a service's Kafka admin would, and returns
     * once the broker serves every partition; for tests and benchmarks. A producer that sends at once to a partition
     * the broker is still opening can have a first request refused and a later one taken, and then retries the first
     * until it times out (KAFKA-15591).
     */
    public static void createTopics(String bootstrapServers, int partitions, String... topics) {
        KafkaAdmin admin = new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        admin.setFatalIfBrokerNotAvailable(true);
        admin.createOrModifyTopics(java.util.Arrays.stream(topics).map(topic -> new NewTopic(topic, partitions, (short) 1))
                .toArray(NewTopic[]::new));
        Map<TopicPartition, OffsetSpec> all = new HashMap<>();
        for (String topic : topics) {
            for (int partition = 0; partition < partitions; partition++) {
                all.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
        }
        try (Admin client = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    // answered by the partition's log itself, so only once the broker has opened it
                    client.listOffsets(all).all().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the broker did not open " + String.join(", ", topics), notYet);
                    }
                    Thread.sleep(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static EmbeddedKafka start(Path logDir, String host, int port, int partitions, boolean deleteOnClose) {
        quietBrokerLogs();
        int brokerPort = port > 0 ? port : freePort();
        int controllerPort = freePort();
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        config.put("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", logDir.toAbsolutePath().toString());
        config.put("num.partitions", Integer.toString(partitions));
        // a single node: every internal topic has one replica
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "6");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("auto.create.topics.enable", "false");
        // the log cleaner (it compacts the consumer offsets topic) keeps its dedupe buffer on the heap for good: 128 MB
        // by default, as much again as the Mongo-wire server's cache, for a topic of a few thousand offsets here
        config.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20));
        // one broker on a developer's machine: a network thread and two request handlers instead of 3 and 8, so a
        // woken thread finds several requests waiting instead of each request waking a thread of its own
        config.put("num.network.threads", "1");
        config.put("num.io.threads", "2");
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(CLUSTER_ID)
                    .addDirectory(logDir.toAbsolutePath().toString())
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setControllerListenerName("CONTROLLER")
                    .setIgnoreFormatted(true) // a restart keeps what is there
                    .run();
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
            server.startup();
            return new EmbeddedKafka(server, host + ":" + brokerPort, logDir, deleteOnClose);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker in " + logDir, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The broker logs every partition and election at INFO; the platform's own logs are what matter. */
    private static void quietBrokerLogs() {
        for (String name : List.of("org.apache.kafka", "kafka", "state.change.logger")) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            TemporaryFolders.delete(logDir);
        }
    }
}
