package app.tandem.platform.kafka;

import app.tandem.platform.TandemProperties;
import com.mongodb.client.MongoDatabase;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.TopicConfig;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kafka bridge: integration events out of the event store and into the service's handlers, with the topics both
 * need and the dead letters neither could deliver. Every client connects as {@code spring.kafka.*} says.
 */
@AutoConfiguration(after = app.tandem.platform.axon.AxonMongoConfiguration.class,
        afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(Producer.class)
@ConditionalOnBean(MongoDatabase.class)
public class KafkaBridgeConfiguration {

    @Bean
    public DeadLetters deadLetters(MongoDatabase database, Clock clock) {
        return new DeadLetters(database, clock);
    }

    /**
     * The service's own topic, the topics it reads (so a consumer that starts before their owner finds them at once),
     * and a dead-letter topic for each it reads; created by Spring's {@link KafkaAdmin} at start, alike wherever declared.
     */
    @Bean
    public KafkaAdmin.NewTopics integrationTopics(TandemProperties properties, ObjectProvider<IntegrationEventHandler> consumed) {
        List<IntegrationEventHandler> handlers = consumed.orderedStream().toList();
        TandemProperties.Kafka kafka = properties.kafka();
        List<NewTopic> topics = new ArrayList<>();
        Optional.ofNullable(kafka.topic()).ifPresent(topic -> topics.add(topic(topic, kafka)));
        for (String read : IntegrationEventConsumer.topicsOf(handlers)) {
            if (!read.equals(kafka.topic())) {
                topics.add(topic(read, kafka));
            }
            topics.add(topic(read + IntegrationEventConsumer.DEAD_LETTER_SUFFIX, kafka));
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    private static NewTopic topic(String name, TandemProperties.Kafka kafka) {
        return new NewTopic(name, kafka.partitions(), kafka.replicationFactor())
                .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(kafka.minInsyncReplicas())));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("tandem.kafka.topic")
    public Producer<String, byte[]> integrationEventProducer(KafkaProperties kafka) {
        return IntegrationEventProducer.create(kafka.buildProducerProperties());
    }

    @Bean
    @ConditionalOnProperty("tandem.kafka.topic")
    @ConditionalOnBean(IntegrationEventTranslator.class)
    public IntegrationEventRelay integrationEventRelay(EventStore eventStore, TokenStore tokenStore,
                                                       Producer<String, byte[]> integrationEventProducer,
                                                       IntegrationEventTranslator translator, TandemProperties properties,
                                                       DeadLetters deadLetters, ObjectProvider<ObservationRegistry> observations) {
        return new IntegrationEventRelay(eventStore, tokenStore, integrationEventProducer, translator,
                properties.kafka().topic(), 1000, deadLetters, observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Bean
    @ConditionalOnBean(IntegrationEventHandler.class)
    public IntegrationEventConsumer integrationEventConsumer(KafkaProperties kafka, TandemProperties properties,
                                                             List<IntegrationEventHandler> handlers, DeadLetters deadLetters,
                                                             @Value("${spring.application.name}") String applicationName,
                                                             ObjectProvider<ObservationRegistry> observations) {
        TandemProperties.Kafka own = properties.kafka();
        String group = own.consumerGroup() != null ? own.consumerGroup() : applicationName;
        return new IntegrationEventConsumer(kafka.buildConsumerProperties(), kafka.buildProducerProperties(), group,
                own.instanceId() != null ? own.instanceId() : group + "." + hostName(),
                handlers, deadLetters, IntegrationEventConsumer.Settings.of(own.consumerThreads(), own.attempts()),
                observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** A consumer that stopped on its own or a publisher that is not running turns the service's health (and gRPC's) down. */
    @Bean
    public HealthIndicator integrationEvents(ObjectProvider<IntegrationEventConsumer> consumer, ObjectProvider<IntegrationEventRelay> relay) {
        return () -> {
            boolean consuming = consumer.getIfAvailable() == null || consumer.getIfAvailable().isHealthy();
            boolean publishing = relay.getIfAvailable() == null || relay.getIfAvailable().isRunning();
            return (consuming && publishing ? Health.up() : Health.down())
                    .withDetail("consuming", consuming).withDetail("publishing", publishing).build();
        };
    }
}
