package app.tandem.devstack;

import com.github.dockerjava.api.model.ContainerNetwork;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/**
 * The same scenarios on real MongoDB and Kafka images, as a deployment runs them: a three-member replica set and three
 * KRaft brokers (each also a controller), every topic Tandem creates with three replicas of which two must have each
 * write, and two replicas of every service. Wherever a Docker engine runs; skipped elsewhere. The images are pinned as in
 * {@code deploy/compose.yaml}; a build without Docker pulls none.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersEndToEndTest extends EndToEndScenarios {

    private static final String MONGO_IMAGE = "mongo:8.0";
    private static final String KAFKA_IMAGE = "apache/kafka:4.2.0";
    private static final String REPLICA_SET = "tandem";
    private static final int MEMBERS = 3;

    private static Network network;
    private static List<GenericContainer<?>> mongo;
    private static List<KafkaContainer> kafka;

    @BeforeAll
    static void start() {
        network = Network.newNetwork();
        mongo = IntStream.rangeClosed(1, MEMBERS).<GenericContainer<?>>mapToObj(ContainersEndToEndTest::mongod).toList();
        kafka = IntStream.rangeClosed(1, MEMBERS).mapToObj(ContainersEndToEndTest::broker).toList();
        // all at once: a KRaft controller waits for a majority of its quorum before it runs
        List<GenericContainer<?>> all = new ArrayList<>(mongo);
        all.addAll(kafka);
        Startables.deepStart(all).join();
        String mongoUri = initiateReplicaSet();
        String bootstrapServers = kafka.stream().map(KafkaContainer::getBootstrapServers).collect(Collectors.joining(","));
        startTandem(mongoUri, bootstrapServers, Map.of(
                "tandem.kafka.replication-factor", MEMBERS,
                "tandem.kafka.min-insync-replicas", 2));
    }

    @AfterAll
    static void stopContainers() {
        stopTandem(); // before what it runs on
        if (kafka != null) {
            kafka.forEach(GenericContainer::stop);
        }
        if (mongo != null) {
            mongo.forEach(GenericContainer::stop);
        }
        if (network != null) {
            network.close();
        }
    }

    private static GenericContainer<?> mongod(int member) {
        return new GenericContainer<>(MONGO_IMAGE)
                .withNetwork(network)
                .withNetworkAliases("mongo" + member)
                .withExposedPorts(27017)
                .withCommand("mongod", "--replSet", REPLICA_SET, "--bind_ip_all")
                .waitingFor(Wait.forLogMessage(".*Waiting for connections.*", 1))
                .withStartupTimeout(Duration.ofMinutes(2));
    }

    /** One of three brokers, each also a controller of the quorum; the others reach it by its name on the network. */
    private static KafkaContainer broker(int node) {
        String name = "kafka" + node;
        return new KafkaContainer(KAFKA_IMAGE)
                .withNetwork(network)
                .withNetworkAliases(name)
                // the name the brokers advertise to each other is the container's host name
                .withCreateContainerCmdModifier(command -> command.withHostName(name))
                .withEnv("KAFKA_NODE_ID", Integer.toString(node))
                .withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", IntStream.rangeClosed(1, MEMBERS)
                        .mapToObj(n -> n + "@kafka" + n + ":9094").collect(Collectors.joining(",")))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_DEFAULT_REPLICATION_FACTOR", Integer.toString(MEMBERS))
                .withEnv("KAFKA_MIN_INSYNC_REPLICAS", "2")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", Integer.toString(MEMBERS))
                .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "6")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", Integer.toString(MEMBERS))
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                .withStartupTimeout(Duration.ofMinutes(2));
    }

    /**
     * Makes the three mongod one replica set and waits for its primary. Members are named by an address this JVM and
     * the containers both reach each member's published port at, so that the driver, which connects to the members the
     * set names, finds them: a remote Docker host's, or on a local engine the gateway of the containers' network.
     *
     * @return the connection string, as a deployment's names the set (deploy/compose.yaml)
     */
    private static String initiateReplicaSet() {
        String host = publishedPortsHost(mongo.get(0));
        List<String> members = mongo.stream().map(member -> host + ":" + member.getMappedPort(27017)).toList();
        String config = IntStream.range(0, MEMBERS).mapToObj(i -> "{_id: " + i + ", host: '" + members.get(i) + "'}")
                .collect(Collectors.joining(", ", "{_id: '" + REPLICA_SET + "', members: [", "]}"));
        mongosh(mongo.get(0), "rs.initiate(" + config + ")");
        String uri = "mongodb://" + String.join(",", members) + "/?replicaSet=" + REPLICA_SET + "&w=majority&readConcernLevel=majority";
        // a write a majority acknowledged: the set has its primary, and this JVM reaches the members by those names
        try (MongoClient client = MongoClients.create(uri)) {
            await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                    client.getDatabase("replica-set-ready").getCollection("ready").insertOne(new Document()).wasAcknowledged());
        }
        return uri;
    }

    private static void mongosh(GenericContainer<?> member, String script) {
        try {
            Container.ExecResult result = member.execInContainer("mongosh", "--quiet", "--eval", script);
            if (result.getExitCode() != 0) {
                throw new IllegalStateException("mongosh failed: " + result.getStderr() + result.getStdout());
            }
        } catch (IOException e) {
            throw new IllegalStateException("mongosh did not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while initiating the replica set", e);
        }
    }

    private static String publishedPortsHost(GenericContainer<?> container) {
        String host = container.getHost();
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                return host;
            }
        } catch (IOException unresolvable) {
            return host;
        }
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .map(ContainerNetwork::getGateway).filter(gateway -> gateway != null && !gateway.isBlank()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no gateway for the containers' network"));
    }
}
