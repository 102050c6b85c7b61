package app.tandem.platform.kafka;

import app.tandem.events.v1.EventEnvelope;
import app.tandem.platform.TandemProperties;
import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Feeds integration events to the service's handlers, in order per couple. Offsets are committed only
 * after a record's handlers returned, so a crash redelivers and handlers deduplicate by event id: nothing
 * is lost and nothing has a second effect. A failing record is retried with backoff, never skipped.
 */
public class IntegrationEventConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IntegrationEventConsumer.class);

    private final TandemProperties.Kafka kafka;
    private final String groupId;
    private final List<IntegrationEventHandler> handlers;
    private final Set<String> topics = new TreeSet<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread thread;

    public IntegrationEventConsumer(TandemProperties.Kafka kafka, String groupId, List<IntegrationEventHandler> handlers) {
        this.kafka = kafka;
        this.groupId = groupId;
        this.handlers = handlers;
        handlers.forEach(h -> topics.addAll(h.topics()));
    }

    @Override
    public void start() {
        KafkaTopics.ensure(kafka, topics);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId());
        // a member that dies without leaving holds its partitions only this long
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(topics);
        running = true;
        thread = new Thread(this::pollLoop, "integration-consumer-" + groupId);
        thread.start();
    }

    private String instanceId() {
        if (kafka.getInstanceId() != null) {
            return kafka.getInstanceId();
        }
        try {
            return groupId + "." + java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (java.net.UnknownHostException e) {
            return groupId + ".localhost";
        }
    }

    private void pollLoop() {
        Backoff backoff = new Backoff(Duration.ofMillis(100));
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                // offsets are committed once per poll, after every effect before them is recorded; a crash in
                // between redelivers records whose effects are already there, and handlers ignore those
                Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                        if (!deliver(record)) {
                            // rewind this partition to the failed record and retry after a pause
                            consumer.seek(partition, record.offset());
                            backoff.pause();
                            break;
                        }
                        backoff.reset();
                        handled.put(partition, new OffsetAndMetadata(record.offset() + 1));
                    }
                }
                if (!handled.isEmpty()) {
                    consumer.commitSync(handled);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private boolean deliver(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope;
        try {
            envelope = EventEnvelope.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            // a record that is not an envelope can never be handled; retrying it would block the couple forever
            log.error("skipping unreadable record {}-{}@{}", record.topic(), record.partition(), record.offset());
            return true;
        }
        try {
            for (IntegrationEventHandler handler : handlers) {
                if (handler.topics().contains(record.topic())) {
                    handler.handle(envelope);
                }
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("handling {} ({}) failed, will retry", envelope.getEventId(), envelope.getEventType(), e);
            return false;
        }
    }


    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
