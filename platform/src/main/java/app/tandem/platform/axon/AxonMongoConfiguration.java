package app.tandem.platform.axon;

import app.tandem.platform.TandemProperties;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import app.tandem.platform.eventstore.TailingEventStore;
import com.mongodb.client.MongoDatabase;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.privacy.PersonalFactsSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;


/**
 * Axon on MongoDB through the driver: the gap-aware event store, and tokens in the service's
 * own database. No Axon Server.
 */
@AutoConfiguration(before = AxonAutoConfiguration.class, after = app.tandem.platform.mongo.MongoConfiguration.class)
@ConditionalOnClass({AxonAutoConfiguration.class, MongoTemplate.class})
public class AxonMongoConfiguration {

    @Bean
    public static OwnEventsOnly aggregatesReadOwnEventsOnly() {
        return new OwnEventsOnly();
    }

    @Bean
    public Jackson3SerializerCustomizer tandemTypeValidation() {
        return TandemSerializers.TYPE_VALIDATION;
    }

    @Bean(destroyMethod = "shutDown")
    @ConditionalOnMissingBean
    public MongoEventStorageEngine eventStorageEngine(MongoDatabase database, TandemProperties properties,
                                                 Serializer serializer,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 ObjectProvider<PersonalDataCipher> cipher,
                                                 org.axonframework.config.Configuration configuration) {
        return MongoEventStorageEngine.builder()
                .database(database)
                .gapTimeout(properties.eventStore().gapTimeout())
                .batchSize(properties.eventStore().batchSize())
                .highestPositionRecheck(properties.eventStore().pollInterval())
                .snapshotSerializer(serializer)
                .eventSerializer(sealingPersonalFacts(eventSerializer, cipher.getIfAvailable()))
                .upcasterChain(configuration.upcasterChain())
                .build();
    }

    private static Serializer sealingPersonalFacts(Serializer serializer, PersonalDataCipher cipher) {
        if (cipher == null) {
            return serializer;
        }
        if (!(serializer instanceof Jackson3Serializer json)) {
            throw new IllegalStateException("personal facts in events need the JSON event serializer (axon.serializer.events: jackson3)");
        }
        return new PersonalFactsSerializer(json, json.getObjectMapper(), cipher);
    }

    /**
     * The event store, whose processors at the head share one reader of the storage engine (see
     * {@link TailingEventStore}); the ring of latest events they take from holds about two seconds at 500 check-ins/s.
     * Events other replicas stored are looked for every {@code tandem.event-store.poll-interval}.
     */
    @Qualifier("eventStore")
    @Bean(name = "eventBus", destroyMethod = "shutDown")
    @ConditionalOnMissingBean(EventBus.class)
    public TailingEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration,
                                        TandemProperties properties) {
        return TailingEventStore.builder()
                .storageEngine(storageEngine)
                .fetchDelay(properties.eventStore().pollInterval())
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .cachedEvents(1_000)
                .build();
    }

    /**
     * A handler that fails is retried (the processor backs off and handles the batch again), never skipped: a
     * skipped event would be a read model missing an entry or a milestone never celebrated.
     */
    @Bean
    public ConfigurerModule retryFailedEventHandlers() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
    }

    /**
     * A tracking processor takes up to this many events that are already there in one batch, and stores its token
     * once per batch: one token write per event was the largest share of the Mongo commands under load. A
     * processor that keeps up still handles each event as it comes; handlers are idempotent, so a batch handled
     * again after a failure changes nothing twice.
     */
    static final int PROCESSOR_BATCH_SIZE = 50;

    @Bean
    public ConfigurerModule batchTrackedEvents() {
        return configurer -> configurer.eventProcessing().registerTrackingEventProcessorConfiguration(
                c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(PROCESSOR_BATCH_SIZE));
    }

    /** Used for every aggregate: Axon picks up the one resolver in the context. */
    @Bean
    @ConditionalOnMissingBean
    public CommandTargetResolver commandTargets() {
        return new CommandTargets();
    }

    @Bean
    public MongoTemplate axonMongoTemplate(MongoDatabase database) {
        return DefaultMongoTemplate.builder().mongoDatabase(database).build();
    }

    /**
     * Tokens and claims in MongoDB, claimed under this replica's id, each segment's token written at most once per
     * {@code tandem.event-store.token-write-interval} while its processor moves forward (see {@link CoalescingTokenStore}).
     */
    @Bean
    @ConditionalOnMissingBean
    public TokenStore tokenStore(MongoTemplate axonMongoTemplate, Serializer serializer, TandemProperties properties) {
        TandemProperties.EventStore settings = properties.eventStore();
        return CoalescingTokenStore.inMongo(axonMongoTemplate, serializer, settings.tokenWriteInterval(), settings.claimTimeout(),
                settings.replicaId());
    }

    @Bean
    public StoredPositions storedPositions(MongoTemplate axonMongoTemplate, Serializer serializer) {
        return new StoredPositions(axonMongoTemplate, serializer);
    }

    @Bean
    public ReadYourWrites readYourWrites(EventProcessingConfiguration processing, EventStore eventStore, StoredPositions storedPositions,
                                         MongoEventStorageEngine engine, TandemProperties properties) {
        return new ReadYourWrites(processing, eventStore, storedPositions, engine::storedAmong, properties.eventStore().readYourWritesWait());
    }

    @Bean
    public Aggregates aggregates(EventStore eventStore) {
        return new Aggregates(eventStore);
    }
}
