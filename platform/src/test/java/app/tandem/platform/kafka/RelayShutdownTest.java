package app.tandem.platform.kafka;

import app.tandem.devservers.DevServers;
import app.tandem.platform.axon.TandemSerializers;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import app.tandem.platform.eventstore.TailingEventStore;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay that lost its database waits longer after each failed try (up to 30 s); stopping it ends the wait at once,
 * so a replica in that state still shuts down promptly.
 */
class RelayShutdownTest {

    @Test
    void aRelayWaitingToTryAgainStopsAtOnce() throws InterruptedException {
        MongoClient client = MongoClients.create(DevServers.shared().mongoUri());
        MongoDatabase database = client.getDatabase("relay-shutdown-" + UUID.randomUUID().toString().substring(0, 8));
        MongoEventStorageEngine engine = MongoEventStorageEngine.builder().database(database)
                .eventSerializer(TandemSerializers.json()).snapshotSerializer(TandemSerializers.json()).build();
        MongoTokenStore tokens = MongoTokenStore.builder().mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(database).build())
                .serializer(TandemSerializers.json()).build();
        try (MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer())) {
            IntegrationEventRelay relay = new IntegrationEventRelay(TailingEventStore.builder().storageEngine(engine).build(), tokens,
                    producer, event -> List.of(), "tandem.test.v1", 10, new DeadLetters(database, Clock.systemUTC()));
            client.close(); // the database is out of reach from here on
            relay.start();
            Thread.sleep(3_500); // tries at about 0, 0.2, 0.6, 1.4 and 3.0 s: now it waits 3.2 s before the next
            long stopping = System.nanoTime();
            relay.stop();
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(1));
            assertThat(relay.isRunning()).isFalse();
        }
    }
}
