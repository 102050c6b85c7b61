package app.tandem.journal;

import app.tandem.events.v1.EventEnvelope;
import app.tandem.testkit.EmbeddedStack;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What journal-service published to Kafka, read from the start of its topic by a consumer of the test's own. */
final class PublishedEvents {

    static final String TOPIC = "tandem.journal.v1";

    private PublishedEvents() {
    }

    /** Every record keyed by {@code key}, raw, read until the topic stayed quiet for two seconds. */
    static List<byte[]> recordsKeyed(String key) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedStack.shared().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "journal-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            List<byte[]> records = new ArrayList<>();
            int emptyPolls = 0;
            while (emptyPolls < 5) {
                var polled = consumer.poll(Duration.ofMillis(400));
                emptyPolls = polled.isEmpty() ? emptyPolls + 1 : 0;
                for (ConsumerRecord<String, byte[]> record : polled) {
                    if (key.equals(record.key())) {
                        records.add(record.value());
                    }
                }
            }
            return records;
        }
    }

    /** The first event of {@code type} keyed by {@code key}, read as soon as it is there (at most 30 s). */
    static <T extends Message> T first(String key, Class<T> type) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedStack.shared().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "journal-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        EventEnvelope envelope = EventEnvelope.parseFrom(record.value());
                        if (envelope.getPayload().is(type)) {
                            return envelope.getPayload().unpack(type);
                        }
                    }
                }
            }
            throw new AssertionError("no " + type.getSimpleName() + " was published in 30 s");
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not an event envelope", e);
        }
    }

    static List<EventEnvelope> forCouple(String coupleId) {
        List<EventEnvelope> envelopes = new ArrayList<>();
        for (byte[] record : recordsKeyed(coupleId)) {
            try {
                envelopes.add(EventEnvelope.parseFrom(record));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("not an event envelope", e);
            }
        }
        return envelopes;
    }
}
