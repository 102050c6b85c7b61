package app.tandem.platform.kafka;

import app.tandem.platform.TandemProperties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import java.util.List;
import java.util.Map;

/** The Kafka bridge: integration events out of the event store, and into the service's handlers. */
@AutoConfiguration(after = app.tandem.platform.axon.AxonMongoConfiguration.class)
@ConditionalOnClass(KafkaProducer.class)
public class KafkaBridgeConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("tandem.kafka.topic")
    public Producer<String, byte[]> integrationEventProducer(TandemProperties properties) {
        KafkaTopics.ensure(properties.getKafka(), List.of(properties.getKafka().getTopic()));
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.getKafka().getBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                // a relay batch is flushed as a whole, so let records ride together
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new StringSerializer(), new ByteArraySerializer());
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
