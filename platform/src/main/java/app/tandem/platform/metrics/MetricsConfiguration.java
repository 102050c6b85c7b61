package app.tandem.platform.metrics;

import app.tandem.platform.kafka.DeadLetters;
import app.tandem.platform.kafka.IntegrationEventRelay;
import app.tandem.platform.ops.ProcessorPositions;
import app.tandem.platform.time.Poller;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The platform's own metrics, beside what Actuator (JVM, executors), Axon (processors' latency and capacity),
 * spring-grpc (each method's latency and status) and the Kafka clients measure: how far each event processor and
 * the integration relay are behind the store, and how many dead letters wait. Tags name processors, segments and
 * kinds only, never a person or anything a person wrote.
 */
@AutoConfiguration(after = {app.tandem.platform.ops.OperatorConfiguration.class, app.tandem.platform.kafka.KafkaBridgeConfiguration.class})
@ConditionalOnClass(MeterRegistry.class)
public class MetricsConfiguration {

    @Bean
    public SampledGauges sampledGauges(MeterRegistry registry) {
        return new SampledGauges(registry);
    }

    /** Counts and positions are read from MongoDB this often, whatever the scrape interval. */
    @Bean
    public Poller metricsSampling(SampledGauges gauges, @Value("${tandem.metrics.sample-interval:5s}") Duration interval) {
        return new Poller("metrics-sampling", interval, gauges::sample);
    }

    /** What only a service with a database, events and a broker has; the gateway has none of their classes. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"com.mongodb.client.MongoDatabase", "org.axonframework.config.EventProcessingConfiguration",
            "org.apache.kafka.clients.producer.Producer"})
    static class ServiceMetrics {

        /** Registered once every bean exists, as a service without events, relay or dead letters has none of them. */
        @Bean
        SmartInitializingSingleton platformGauges(SampledGauges gauges, ObjectProvider<ProcessorPositions> positions,
                                                  ObjectProvider<IntegrationEventRelay> relay, ObjectProvider<DeadLetters> deadLetters) {
            return () -> {
                positions.ifAvailable(processors -> {
                    gauges.gauges("tandem.processor.lag", "Events stored that a processor's segment has not handled yet",
                            () -> processorLag(processors));
                    relay.ifAvailable(r -> gauges.gauges("tandem.relay.lag",
                            "Events stored that the integration relay has not published yet (served by the publishing instance only)",
                            () -> relayLag(processors)));
                });
                deadLetters.ifAvailable(letters -> gauges.gauges("tandem.dead.letters.waiting",
                        "Dead letters waiting for an operator to retry or discard them", () -> {
                            Map<Tags, Long> rows = new LinkedHashMap<>();
                            letters.waiting().forEach((kind, count) -> rows.put(Tags.of("kind", kind.name().toLowerCase(Locale.ROOT)), count));
                            return rows;
                        }));
            };
        }

        private static Map<Tags, Long> processorLag(ProcessorPositions positions) {
            Map<Tags, Long> rows = new LinkedHashMap<>();
            positions.snapshot().segments().stream()
                    .filter(segment -> !segment.processor().equals(IntegrationEventRelay.PROCESSOR_NAME))
                    .forEach(segment -> rows.put(Tags.of("processor", segment.processor(), "segment", Integer.toString(segment.segment())),
                            segment.lag()));
            return rows;
        }

        private static Map<Tags, Long> relayLag(ProcessorPositions positions) {
            return positions.snapshot().segments().stream()
                    .filter(segment -> segment.processor().equals(IntegrationEventRelay.PROCESSOR_NAME))
                    .findFirst().map(segment -> Map.of(Tags.empty(), segment.lag())).orElse(Map.of());
        }

        /** Whether the relay runs (publishing, or standing by for another instance), for an alert. */
        @Bean
        @ConditionalOnBean(IntegrationEventRelay.class)
        MeterBinder integrationEventRelayRunning(IntegrationEventRelay relay) {
            return registry -> Gauge.builder("tandem.relay.running", relay, r -> r.isRunning() ? 1 : 0)
                    .description("1 while the integration relay runs, else 0").register(registry);
        }

        /** The relay's producer, measured by the Kafka client's own metrics (the consumer's are bound by the consumer). */
        @Bean(destroyMethod = "close")
        @ConditionalOnBean(name = "integrationEventProducer")
        KafkaClientMetrics integrationEventProducerMetrics(Producer<String, byte[]> integrationEventProducer) {
            return new KafkaClientMetrics(integrationEventProducer);
        }
    }
}
