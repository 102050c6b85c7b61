package app.tandem.platform.kafka;

import app.tandem.events.v1.EventEnvelope;
import app.tandem.platform.TandemProperties;
import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Feeds integration events to the service's handlers, in order per couple; the partitions of one poll are
 * handled side by side, so handlers must be safe to call for different couples at once. Offsets are committed
 * only after a record's handlers returned (at most every {@link #COMMIT_INTERVAL} under load), so a crash
 * redelivers and handlers deduplicate by event id: nothing is lost and nothing has a second effect. A failing
 * record is retried with backoff, never skipped.
 */
public class IntegrationEventConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IntegrationEventConsumer.class);

    private final TandemProperties.Kafka kafka;
    private final String groupId;
    private final List<IntegrationEventHandler> eventHandlers;
    private final Set<String> topics = new TreeSet<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread thread;
    private ExecutorService partitionWorkers;
    /** The longest handled records wait for their offsets to be committed while more records keep coming. */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    /** Offsets handled and not committed yet, and when offsets were last committed; used by the polling thread only. */
    private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    private long committedAtNanos;

    public IntegrationEventConsumer(TandemProperties.Kafka kafka, String groupId, List<IntegrationEventHandler> handlers) {
        this.kafka = kafka;
        this.groupId = groupId;
        this.eventHandlers = handlers;
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
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                commitHandled(); // the next owner starts after what this member handled
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            }
        });
        AtomicInteger threads = new AtomicInteger();
        partitionWorkers = Executors.newFixedThreadPool(Math.max(1, kafka.getConsumerThreads()), r -> {
            Thread thread = new Thread(r, "integration-handler-" + groupId + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
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
                if (records.isEmpty()) {
                    commitHandled();
                    continue;
                }
                // offsets are committed after every effect before them is recorded, at most every COMMIT_INTERVAL
                // while records keep coming: a commit is a write to the broker's offsets log, and once per poll it
                // was most of what the broker did. A crash redelivers records whose effects are already there,
                // and handlers ignore those.
                Map<TopicPartition, Long> failedAt = new HashMap<>();
                handled.putAll(handleSideBySide(records, failedAt));
                if (System.nanoTime() - committedAtNanos >= COMMIT_INTERVAL.toNanos()) {
                    commitHandled();
                }
                if (failedAt.isEmpty()) {
                    backoff.reset();
                } else {
                    // rewind each failed partition to its failed record and retry after a pause
                    failedAt.forEach(consumer::seek);
                    backoff.pause();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                commitHandled();
            } catch (RuntimeException e) {
                log.warn("could not commit the last handled offsets; their records are delivered again and ignored", e);
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Commits what was handled and not committed yet; called on the polling thread only. */
    private void commitHandled() {
        if (!handled.isEmpty()) {
            consumer.commitSync(handled);
            handled.clear();
        }
        committedAtNanos = System.nanoTime();
    }

    /**
     * Handles each partition's records in order, different partitions side by side: a couple's events share a
     * partition, so their order holds while one slow couple does not hold up the others.
     *
     * @return the offset to commit per partition that handled anything; failed partitions are put in {@code failedAt}
     */
    private Map<TopicPartition, OffsetAndMetadata> handleSideBySide(ConsumerRecords<String, byte[]> records,
                                                                   Map<TopicPartition, Long> failedAt) throws InterruptedException {
        Map<TopicPartition, Future<Long>> outcomes = new HashMap<>();
        Map<TopicPartition, Long> nextOffsets = new HashMap<>();
        Set<TopicPartition> partitions = records.partitions();
        for (TopicPartition partition : partitions) {
            List<ConsumerRecord<String, byte[]>> inOrder = records.records(partition);
            if (partitions.size() == 1) {
                nextOffsets.put(partition, handleInOrder(inOrder)); // nobody to share with: no hand-over
            } else {
                outcomes.put(partition, partitionWorkers.submit(() -> handleInOrder(inOrder)));
            }
        }
        for (Map.Entry<TopicPartition, Future<Long>> outcome : outcomes.entrySet()) {
            try {
                nextOffsets.put(outcome.getKey(), outcome.getValue().get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("handling integration events failed unexpectedly", e.getCause());
            }
        }
        Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
        nextOffsets.forEach((partition, next) -> {
            List<ConsumerRecord<String, byte[]>> polled = records.records(partition);
            if (next > polled.get(0).offset()) {
                handled.put(partition, new OffsetAndMetadata(next));
            }
            if (next <= polled.get(polled.size() - 1).offset()) {
                failedAt.put(partition, next);
            }
        });
        return handled;
    }

    /** @return the offset after the last record handled; a failed record stops the partition there */
    private long handleInOrder(List<ConsumerRecord<String, byte[]>> inOrder) {
        long next = inOrder.get(0).offset();
        for (ConsumerRecord<String, byte[]> record : inOrder) {
            if (!deliver(record)) {
                return next;
            }
            next = record.offset() + 1;
        }
        return next;
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
            for (IntegrationEventHandler handler : eventHandlers) {
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
        if (partitionWorkers != null) {
            partitionWorkers.shutdown();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
