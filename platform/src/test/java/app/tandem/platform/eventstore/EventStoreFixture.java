package app.tandem.platform.eventstore;

import app.tandem.platform.axon.TandemSerializers;
import app.tandem.devservers.DevServers;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** Engines on the embedded Mongo-wire server, reached over TCP with the real driver. */
final class EventStoreFixture implements AutoCloseable {

    record Recorded(String aggregate, long step) {
    }

    private final List<MongoClient> clients = new ArrayList<>();
    final String database = "events-" + UUID.randomUUID().toString().substring(0, 8);

    /** An engine as one application context would have it; {@code onCommand} sees every command before it is sent. */
    private Duration compaction = Duration.ZERO;

    EventStoreFixture withBackgroundCompaction() {
        compaction = Duration.ofMillis(200);
        return this;
    }

    MongoEventStorageEngine engine(Consumer<CommandStartedEvent> onCommand, Duration gapTimeout, LongSupplier nanoClock) {
        MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(DevServers.shared().mongoUri()))
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        onCommand.accept(event);
                    }
                })
                .build());
        clients.add(client);
        return MongoEventStorageEngine.builder()
                .database(client.getDatabase(database))
                .gapTimeout(gapTimeout)
                .nanoClock(nanoClock)
                .eventSerializer(TandemSerializers.json())
                .snapshotSerializer(TandemSerializers.json())
                .batchSize(500)
                // tests pack pages when they choose to; the concurrency tests also run with the background compactor
                .compactionInterval(compaction)
                .build();
    }

    MongoEventStorageEngine engine() {
        return engine(event -> { }, Duration.ofSeconds(60), System::nanoTime);
    }

    /** A single-threaded tracking processor over {@code engine}, as a service would run one. */
    static TrackingEventProcessor processor(String name, EventStorageEngine engine, TokenStore tokens, int batchSize, Object... handlers) {
        return TrackingEventProcessor.builder()
                .name(name)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(handlers).build())
                .messageSource(TailingEventStore.builder().storageEngine(engine).build())
                .tokenStore(tokens)
                .transactionManager(NoTransactionManager.INSTANCE)
                .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(batchSize))
                .build();
    }

    MongoDatabase raw() {
        return clients.get(0).getDatabase(database);
    }

    static DomainEventMessage<Recorded> event(String aggregate, long sequence) {
        return event(aggregate, sequence, Instant.now());
    }

    static DomainEventMessage<Recorded> event(String aggregate, long sequence, Instant timestamp) {
        return new GenericDomainEventMessage<>("Journal", aggregate, sequence, new Recorded(aggregate, sequence),
                MetaData.emptyInstance(), UUID.randomUUID().toString(), timestamp);
    }

    @Override
    public void close() {
        clients.forEach(MongoClient::close);
    }
}
