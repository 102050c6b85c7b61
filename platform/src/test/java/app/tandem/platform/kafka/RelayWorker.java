package app.tandem.platform.kafka;

import app.tandem.events.v1.CoupleCreated;
import app.tandem.platform.axon.TandemSerializers;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.apache.kafka.clients.producer.Producer;
import org.axonframework.eventhandling.DomainEventMessage;
import app.tandem.platform.eventstore.TailingEventStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;

import java.time.Clock;
import java.util.List;

/** The publishing side of a service, alone in its own JVM so a test can kill it with SIGKILL. */
public final class RelayWorker {

    private RelayWorker() {
    }

    /** Arguments: Mongo URI, database, Kafka bootstrap servers, topic. */
    public static void main(String[] args) throws InterruptedException {
        MongoClient client = MongoClients.create(args[0]);
        MongoDatabase database = client.getDatabase(args[1]);
        MongoEventStorageEngine engine = MongoEventStorageEngine.builder().database(database)
                .eventSerializer(TandemSerializers.json()).snapshotSerializer(TandemSerializers.json()).batchSize(500).build();
        MongoTokenStore tokens = MongoTokenStore.builder()
                .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(database).build())
                .serializer(TandemSerializers.json()).build();
        Producer<String, byte[]> producer = IntegrationEventProducer.create(args[2]);
        IntegrationEventRelay relay = new IntegrationEventRelay(TailingEventStore.builder().storageEngine(engine).build(), tokens,
                producer, event -> {
                    String couple = ((DomainEventMessage<?>) event).getAggregateIdentifier();
                    return List.of(new IntegrationEvent(couple, couple,
                            CoupleCreated.newBuilder().setCoupleId(couple).setFounderPersonId(couple).build()));
                }, args[3], 200, new DeadLetters(database, Clock.systemUTC()));
        relay.start();
        System.out.println("RELAY STARTED");
        Thread.currentThread().join();
    }
}
