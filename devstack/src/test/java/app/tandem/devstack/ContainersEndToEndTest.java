package app.tandem.devstack;

import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

/** The same scenarios on real MongoDB and Kafka images, wherever a Docker engine runs; skipped elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class ContainersEndToEndTest extends EndToEndScenarios {

    @Container
    static final MongoDBContainer mongo = new MongoDBContainer("mongo:8.0");

    @Container
    static final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.2.0");

    @BeforeAll
    static void start() {
        startTandem(mongo.getConnectionString(), kafka.getBootstrapServers());
    }
}
