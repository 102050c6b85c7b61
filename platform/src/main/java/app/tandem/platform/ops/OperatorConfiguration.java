package app.tandem.platform.ops;

import app.tandem.api.v1.OperatorServiceGrpc;
import app.tandem.platform.TandemProperties;
import app.tandem.platform.axon.AxonMongoConfiguration;
import app.tandem.platform.axon.StoredPositions;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import app.tandem.platform.grpc.GrpcErrorMapping;
import app.tandem.platform.kafka.DeadLetters;
import app.tandem.platform.kafka.IntegrationEventConsumer;
import app.tandem.platform.kafka.IntegrationEventRelay;
import com.mongodb.client.MongoDatabase;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.time.Clock;
import java.util.Optional;

/** Every service answers the operators' API, each call recorded in its audit log; one without events lists no processors. */
@AutoConfiguration(after = {AxonMongoConfiguration.class, app.tandem.platform.kafka.KafkaBridgeConfiguration.class})
public class OperatorConfiguration {

    @Bean
    public OperatorAudit operatorAudit(MongoDatabase database, GrpcErrorMapping errors, Clock clock) {
        return new OperatorAudit(database, errors, clock);
    }

    /** Where the processors are: for the operators' API and the lag metrics alike. */
    @Bean
    public ProcessorPositions processorPositions(ObjectProvider<EventProcessingConfiguration> processing, ObjectProvider<EventStore> eventStore,
                                                 ObjectProvider<IntegrationEventRelay> relay, ObjectProvider<StoredPositions> stored) {
        return new ProcessorPositions(Optional.ofNullable(processing.getIfAvailable()), Optional.ofNullable(eventStore.getIfAvailable()),
                Optional.ofNullable(relay.getIfAvailable()), Optional.ofNullable(stored.getIfAvailable()));
    }

    @Bean
    public OperatorEndpoint operatorEndpoint(@Value("${tandem.identity.name:${spring.application.name}}") String serviceName,
                                             ObjectProvider<EventProcessingConfiguration> processing, ProcessorPositions positions,
                                             ObjectProvider<IntegrationEventRelay> relay, OperatorAudit audit,
                                             ObjectProvider<DeadLetters> deadLetters, ObjectProvider<IntegrationEventConsumer> consumer,
                                             ObjectProvider<MongoEventStorageEngine> storedEvents, GrpcErrorMapping errors,
                                             ObjectProvider<StoredPositions> stored, TandemProperties properties) {
        return new OperatorEndpoint(serviceName, Optional.ofNullable(processing.getIfAvailable()),
                positions, new OperatorEndpoint.Claims(Optional.ofNullable(stored.getIfAvailable()), properties.eventStore().nodeId(),
                        AxonMongoConfiguration.CLAIM_TIMEOUT), Optional.ofNullable(relay.getIfAvailable()), audit,
                Optional.ofNullable(deadLetters.getIfAvailable()), Optional.ofNullable(consumer.getIfAvailable()),
                new EventExport(Optional.ofNullable(storedEvents.getIfAvailable()), positions::headPosition, errors));
    }

    @Bean
    public BindableService operatorService(OperatorEndpoint endpoint, OperatorAudit audit) {
        ServerServiceDefinition audited = ServerInterceptors.intercept(OperatorServiceGrpc.bindService(endpoint), audit);
        return () -> audited;
    }
}
