package app.tandem.platform.kafka;

import app.tandem.events.v1.CoupleCreated;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.devservers.EmbeddedKafka;
import app.tandem.devservers.DevServers;
import com.google.protobuf.Any;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
 * Each couple's events stay in order on several consumer threads, also across a failed record that is retried; after a
 * restart nothing committed is handled again; a record no attempt can handle is set aside, to `<topic>.dlt` and the
 * service's dead letters, while the records after it are handled; a failure that passes by itself is waited out.
 */
class IntegrationEventConsumerTest {

    private static final int COUPLES = 30;
    private static final int EVENTS_PER_COUPLE = 20;

    private final MongoClient mongo = MongoClients.create(DevServers.shared().mongoUri());
    private final DeadLetters deadLetters = new DeadLetters(mongo.getDatabase("dead-" + UUID.randomUUID().toString().substring(0, 8)),
            Clock.systemUTC());
    private final List<IntegrationEventConsumer> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(IntegrationEventConsumer::destroy);
        mongo.close();
    }

    private IntegrationEventConsumer consumer(String group, IntegrationEventHandler handler, int attempts) {
        return consumer(group, handler, attempts, Duration.ofSeconds(15));
    }

    private IntegrationEventConsumer consumer(String group, IntegrationEventHandler handler, int attempts, Duration supervisionInterval) {
        Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, DevServers.shared().kafkaBootstrapServers());
        IntegrationEventConsumer consumer = new IntegrationEventConsumer(client, client, group, group + "-member", List.of(handler),
                deadLetters, new IntegrationEventConsumer.Settings(3, attempts, Duration.ofMillis(100), Duration.ofMillis(50),
                        Duration.ofMillis(400), supervisionInterval));
        consumer.start();
        started.add(consumer);
        return consumer;
    }

    private static String topic(String name) {
        String topic = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedKafka.createTopics(DevServers.shared().kafkaBootstrapServers(), 6, topic, topic + IntegrationEventConsumer.DEAD_LETTER_SUFFIX);
        return topic;
    }

    private static byte[] event(String couple, long sequence) {
        return EventEnvelope.newBuilder().setEventId(couple + "/" + sequence).setEventType("tandem.events.v1.CoupleCreated")
                .setCoupleId(couple).setAggregateSequence(sequence)
                .setPayload(Any.pack(CoupleCreated.newBuilder().setCoupleId(couple).build())).build().toByteArray();
    }

    private static void send(String topic, String key, byte[] value) {
        try (Producer<String, byte[]> producer = IntegrationEventProducer.create(DevServers.shared().kafkaBootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, key, value));
        }
    }

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
    void aConsumerThreadThatDiesIsStartedAgainAndHandlesWhatItHadNotCommitted() {
        String topic = topic("fatal");
        AtomicBoolean died = new AtomicBoolean();
        List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
        TopicHandler handler = new TopicHandler(topic) {
            @Override
            public void handle(EventEnvelope envelope) {
                if (died.compareAndSet(false, true)) {
                    throw new Error("no error handler retries this: the consumer thread ends");
                }
                handled.add(envelope.getEventId());
            }
        };
        IntegrationEventConsumer consumer = consumer("fatal-" + UUID.randomUUID(), handler, 5, Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.assignments().size() == 3
                && consumer.assignments().values().stream().allMatch(partitions -> !partitions.isEmpty()));

        send(topic, "couple-1", event("couple-1", 1));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> !consumer.isHealthy());
        await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains("couple-1/1"));
        assertThat(consumer.isHealthy()).isTrue();
    }

    @Test
    void eachCoupleStaysInOrderOnSeveralThreadsAndNothingCommittedIsHandledAgain() {
        String topic = topic("order");
        String group = "order-" + UUID.randomUUID();
        OrderRecorder recorder = new OrderRecorder(topic);
        IntegrationEventConsumer consumer = consumer(group, recorder, 5);
        // every thread holds its partitions before the events come, so the first to join cannot take them all
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.assignments().size() == 3
                && consumer.assignments().values().stream().allMatch(partitions -> !partitions.isEmpty()));
        try (Producer<String, byte[]> producer = IntegrationEventProducer.create(DevServers.shared().kafkaBootstrapServers())) {
            for (int n = 0; n < EVENTS_PER_COUPLE; n++) {
                for (int c = 0; c < COUPLES; c++) {
                    producer.send(new ProducerRecord<>(topic, "couple-" + c, event("couple-" + c, n)));
                }
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> recorder.total() >= COUPLES * EVENTS_PER_COUPLE);
        consumer.stop();

        List<Long> inOrder = IntStream.range(0, EVENTS_PER_COUPLE).mapToObj(n -> (long) n).toList();
        for (int c = 0; c < COUPLES; c++) {
            assertThat(recorder.handled.get("couple-" + c)).as("couple-" + c).isEqualTo(inOrder);
        }
        assertThat(recorder.failedOnce).isTrue();
        assertThat(recorder.mostAtOnce.get()).as("partitions handled side by side").isGreaterThan(1);
        assertThat(deadLetters.page(0, 10)).isEmpty();

        OrderRecorder again = new OrderRecorder(topic);
        consumer(group, again, 5);
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(again.total()).as("a restarted member starts after what was committed").isZero();
    }

    /** Handles every event, except that it rejects one couple's for good. */
    static final class Rejecting extends TopicHandler {
        final List<String> handled = new ArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();

        Rejecting(String topic) {
            super(topic);
        }

        @Override
        public synchronized void handle(EventEnvelope envelope) {
            if (envelope.getCoupleId().equals("broken")) {
                attempts.incrementAndGet();
                throw new IllegalArgumentException("this event can never be handled");
            }
            handled.add(envelope.getEventId());
        }
    }

    @Test
    void aRecordNoAttemptCanHandleIsSetAsideAndTheRestGoOn() {
        String topic = topic("poison");
        // all on one partition: what comes after a poisoned record must still be handled
        send(topic, "same", null);
        send(topic, "same", "not an envelope".getBytes(StandardCharsets.UTF_8));
        send(topic, "same", EventEnvelope.newBuilder().setEventId("unknown").setPayload(Any.newBuilder()
                .setTypeUrl("type.googleapis.com/somebody.Else").build()).build().toByteArray());
        send(topic, "same", event("broken", 1));
        send(topic, "same", event("fine", 1));
        send(topic, "other", event("fine", 2));

        Rejecting handler = new Rejecting(topic);
        consumer("poison-" + UUID.randomUUID(), handler, 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.page(0, 10).size() == 4 && handler.handled.size() == 2);
        assertThat(handler.handled).containsExactlyInAnyOrder("fine/1", "fine/2");
        assertThat(handler.attempts.get()).as("a failing handler is tried the configured times").isEqualTo(3);
        assertThat(deadLetters.page(0, 10)).extracting(DeadLetters.DeadLetter::error).containsExactlyInAnyOrder(
                Failures.UnreadableRecord.class.getName(), Failures.UnreadableRecord.class.getName(),
                Failures.UnreadableRecord.class.getName(), IllegalArgumentException.class.getName());

        List<ConsumerRecord<String, byte[]>> dead = read(topic + IntegrationEventConsumer.DEAD_LETTER_SUFFIX, 4);
        assertThat(dead).hasSize(4);
        Header origin = dead.get(0).headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC);
        assertThat(new String(origin.value(), StandardCharsets.UTF_8)).isEqualTo(topic);
        assertThat(dead.get(0).headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET)).isNotNull();
        assertThat(dead.get(0).headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_FQCN)).isNotNull();
        assertThat(dead.get(0).headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE)).as("no error text travels").isNull();
        assertThat(dead.get(0).headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_STACKTRACE)).isNull();
    }

    /** Fails as a database out of reach does, until it is let through. */
    static final class Unreachable extends TopicHandler {
        final AtomicBoolean reachable = new AtomicBoolean();
        final AtomicInteger attempts = new AtomicInteger();
        final List<String> handled = new ArrayList<>();

        Unreachable(String topic) {
            super(topic);
        }

        @Override
        public synchronized void handle(EventEnvelope envelope) {
            if (!reachable.get()) {
                attempts.incrementAndGet();
                throw new MongoSocketOpenException("the database is away", new ServerAddress("nowhere"));
            }
            handled.add(envelope.getEventId());
        }
    }

    @Test
    void aFailureThatPassesBySelfIsWaitedOutWithNothingSetAside() {
        String topic = topic("away");
        send(topic, "couple", event("couple", 1));
        send(topic, "couple", event("couple", 2));
        Unreachable handler = new Unreachable(topic);
        consumer("away-" + UUID.randomUUID(), handler, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> handler.attempts.get() > 5);
        assertThat(deadLetters.page(0, 10)).as("far more attempts than a poisoned record gets, none set aside").isEmpty();
        handler.reachable.set(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> handler.handled.size() == 2);
        assertThat(handler.handled).containsExactly("couple/1", "couple/2");
        assertThat(deadLetters.page(0, 10)).isEmpty();
    }

    private static List<ConsumerRecord<String, byte[]>> read(String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, DevServers.shared().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
