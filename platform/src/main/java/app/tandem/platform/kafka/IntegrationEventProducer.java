package app.tandem.platform.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/** The one producer configuration integration events leave with, for services, tools and benchmarks alike. */
public final class IntegrationEventProducer {

    private IntegrationEventProducer() {
    }

    public static Producer<String, byte[]> create(String bootstrapServers) {
        return create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** @param clientSettings servers, security and client id, from {@code spring.kafka.*} */
    public static Producer<String, byte[]> create(Map<String, Object> clientSettings) {
        return new KafkaProducer<>(settings(clientSettings), new StringSerializer(), new ByteArraySerializer());
    }

    /** The client's own settings with what every integration event needs: no loss, no duplicate, no reordering. */
    static Map<String, Object> settings(Map<String, Object> clientSettings) {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // a relay batch is flushed as a whole, so let records ride together
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        settings.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        settings.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return settings;
    }
}
