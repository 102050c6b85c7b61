package app.tandem.platform.eventstore;

import app.tandem.platform.axon.CoalescingTokenStore;
import app.tandem.platform.axon.TandemSerializers;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.eventhandling.EventHandler;
import org.bson.Document;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One instance of a service's tracking processor, alone in its JVM so a test can run two of them and kill one.
 * Claims are per process (the MongoDB token store's node id is the JVM's name), as in the services.
 */
public final class ClaimWorker {

    private ClaimWorker() {
    }

    /** Records each event's effect once by its id; a repeat after a takeover is counted, not applied. */
    public static final class Recorder {
        private final MongoCollection<Document> effects;
        private final MongoCollection<Document> repeats;
        private final String worker;

        Recorder(MongoCollection<Document> effects, MongoCollection<Document> repeats, String worker) {
            this.effects = effects;
            this.repeats = repeats;
            this.worker = worker;
        }

        @EventHandler
        public void on(Object payload, EventMessage<?> event) {
            try {
                effects.insertOne(new Document("_id", event.getIdentifier()).append("worker", worker));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                repeats.insertOne(new Document("event", event.getIdentifier()).append("worker", worker));
            }
        }
    }

    /** Arguments: Mongo URI, database, processor name, worker name, claim timeout in milliseconds. */
    public static void main(String[] args) throws InterruptedException {
        MongoClient client = MongoClients.create(args[0]);
        MongoDatabase database = client.getDatabase(args[1]);
        String worker = args[3];
        MongoEventStorageEngine engine = MongoEventStorageEngine.builder().database(database)
                .eventSerializer(TandemSerializers.json()).snapshotSerializer(TandemSerializers.json()).batchSize(100).build();
        Duration claimTimeout = Duration.ofMillis(Long.parseLong(args[4]));
        // as the services keep them: written at most every 100 ms, so a killed worker's successor handles again
        // what came after its last write
        TokenStore tokens = CoalescingTokenStore.inMongo(DefaultMongoTemplate.builder().mongoDatabase(database).build(),
                TandemSerializers.json(), Duration.ofMillis(100), claimTimeout, worker);
        MongoCollection<Document> effects = database.getCollection("effects");
        MongoCollection<Document> repeats = database.getCollection("repeats");
        TrackingEventProcessor processor = TrackingEventProcessor.builder()
                .name(args[2])
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(new Recorder(effects, repeats, worker)).build())
                .messageSource(TailingEventStore.builder().storageEngine(engine).build())
                .tokenStore(tokens)
                .transactionManager(NoTransactionManager.INSTANCE)
                .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration.forParallelProcessing(2)
                        .andInitialSegmentsCount(2).andBatchSize(50).andTokenClaimInterval(200, TimeUnit.MILLISECONDS))
                .build();
        processor.start();
        System.out.println("WORKER STARTED " + worker);
        Thread.currentThread().join();
    }
}
