package app.tandem.platform.kafka;

import app.tandem.platform.TandemProperties;
import org.apache.kafka.clients.producer.Producer;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import java.util.List;

/** The Kafka bridge: integration events out of the event store, and into the service's handlers. */
@AutoConfiguration(after = app.tandem.platform.axon.AxonMongoConfiguration.class)
@ConditionalOnClass(Producer.class)
public class KafkaBridgeConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("tandem.kafka.topic")
    public Producer<String, byte[]> integrationEventProducer(TandemProperties properties) {
        KafkaTopics.ensure(properties.getKafka(), List.of(properties.getKafka().getTopic()));
        return IntegrationEventProducer.create(properties.getKafka().getBootstrapServers());
    }

    @Bean
    @ConditionalOnProperty("tandem.kafka.topic")
    @ConditionalOnBean(IntegrationEventTranslator.class)
    public IntegrationEventRelay integrationEventRelay(EventStore eventStore, TokenStore tokenStore,
                                                       Producer<String, byte[]> integrationEventProducer,
                                                       IntegrationEventTranslator translator, TandemProperties properties) {
        return new IntegrationEventRelay(eventStore, tokenStore, integrationEventProducer, translator,
                properties.getKafka().getTopic(), 1000);
    }

    @Bean
    @ConditionalOnBean(IntegrationEventHandler.class)
    public IntegrationEventConsumer integrationEventConsumer(TandemProperties properties, List<IntegrationEventHandler> handlers,
                                                             @Value("${spring.application.name}") String applicationName) {
        String group = properties.getKafka().getConsumerGroup() != null ? properties.getKafka().getConsumerGroup() : applicationName;
        return new IntegrationEventConsumer(properties.getKafka(), group, handlers);
    }
}
