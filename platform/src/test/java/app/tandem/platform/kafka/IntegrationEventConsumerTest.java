package app.tandem.platform.kafka;

import app.tandem.events.v1.EventEnvelope;
import app.tandem.platform.TandemProperties;
import app.tandem.platform.embedded.EmbeddedStack;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Partitions are handled side by side while each couple's events stay in order, also across a failed record that
 * is retried; after a restart of the consumer nothing committed is handled again.
 */
class IntegrationEventConsumerTest {

    private static final int COUPLES = 30;
    private static final int EVENTS_PER_COUPLE = 20;

    /** Records what it handles per couple, fails one record once, and notes how many handle at the same time. */
    static final class OrderRecorder extends TopicHandler {
        final Map<String, List<Long>> handled = new ConcurrentHashMap<>();
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final AtomicBoolean failedOnce = new AtomicBoolean();

        OrderRecorder(String topic) {
            super(topic);
        }

        @Override
        public void handle(EventEnvelope envelope) {
            mostAtOnce.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                Thread.sleep(2);
                if (envelope.getCoupleId().equals("couple-3") && envelope.getAggregateSequence() == 5 && failedOnce.compareAndSet(false, true)) {
                    throw new IllegalStateException("the database is away for a moment");
                }
                handled.computeIfAbsent(envelope.getCoupleId(), c -> new ArrayList<>()).add(envelope.getAggregateSequence());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                active.decrementAndGet();
            }
        }

        int total() {
            return handled.values().stream().mapToInt(List::size).sum();
        }
    }

    @Test
    void handlesPartitionsSideBySideWithEachCoupleInOrder() {
        String topic = "consumer-test-" + UUID.randomUUID();
        TandemProperties.Kafka kafka = new TandemProperties.Kafka();
        kafka.setBootstrapServers(EmbeddedStack.shared().kafkaBootstrapServers());
        kafka.setPartitions(6);
        kafka.setInstanceId("consumer-test-" + UUID.randomUUID());
        KafkaTopics.ensure(kafka, List.of(topic));
        try (Producer<String, byte[]> producer = IntegrationEventProducer.create(kafka.getBootstrapServers())) {
            for (int n = 0; n < EVENTS_PER_COUPLE; n++) {
                for (int c = 0; c < COUPLES; c++) {
                    String couple = "couple-" + c;
                    producer.send(new ProducerRecord<>(topic, couple, EventEnvelope.newBuilder().setEventId(couple + "/" + n)
                            .setEventType("Test").setCoupleId(couple).setAggregateSequence(n).build().toByteArray()));
                }
            }
        }
        String group = "consumer-test-" + UUID.randomUUID();
        OrderRecorder recorder = new OrderRecorder(topic);
        IntegrationEventConsumer consumer = new IntegrationEventConsumer(kafka, group, List.of(recorder));
        consumer.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> recorder.total() >= COUPLES * EVENTS_PER_COUPLE);
        } finally {
            consumer.stop();
        }

        List<Long> inOrder = IntStream.range(0, EVENTS_PER_COUPLE).mapToObj(n -> (long) n).toList();
        for (int c = 0; c < COUPLES; c++) {
            assertThat(recorder.handled.get("couple-" + c)).as("couple-" + c).isEqualTo(inOrder);
        }
        assertThat(recorder.failedOnce).isTrue();
        assertThat(recorder.mostAtOnce.get()).as("partitions handled side by side").isGreaterThan(1);

        // a new consumer of the same group starts after the committed offsets: nothing is handled again
        OrderRecorder again = new OrderRecorder(topic);
        IntegrationEventConsumer restarted = new IntegrationEventConsumer(kafka, group, List.of(again));
        restarted.start();
        try {
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        } finally {
            restarted.stop();
        }
        assertThat(again.total()).isZero();
    }
}
