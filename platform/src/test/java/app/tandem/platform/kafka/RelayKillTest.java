package app.tandem.platform.kafka;

import app.tandem.events.v1.EventEnvelope;
import app.tandem.platform.axon.TandemSerializers;
import app.tandem.devservers.WorkerProcess;
import app.tandem.devservers.EmbeddedKafka;
import app.tandem.devservers.DevServers;
import org.apache.kafka.clients.CommonClientConfigs;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The publishing JVM is killed with SIGKILL in the middle of publishing 10,000 stored events and started
 * again: every event reaches Kafka, and the consumer's effect of each exists exactly once.
 */
class RelayKillTest {

    private static final int EVENTS = 10_000;

    private final String database = "relay-" + UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "relay-kill-" + UUID.randomUUID().toString().substring(0, 8);
    private final MongoClient client = MongoClients.create(DevServers.shared().mongoUri());
    private final List<Process> workers = new ArrayList<>();
    private IntegrationEventConsumer consumer;

    @AfterEach
    void close() {
        workers.forEach(Process::destroyForcibly);
        if (consumer != null) {
            consumer.destroy();
        }
        client.close();
    }

    /** A consumer effect: one document per event id, whatever Kafka redelivers. */
    static final class Effects extends TopicHandler {
        final MongoCollection<Document> effects;
        final AtomicInteger deliveries = new AtomicInteger();

        Effects(MongoDatabase database, String topic) {
            super(topic);
            this.effects = database.getCollection("effects");
        }

        @Override
        public void handle(EventEnvelope envelope) {
            deliveries.incrementAndGet();
            try {
                effects.insertOne(new Document("_id", envelope.getEventId()));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
        }
    }

    @Test
    void aKilledPublisherLosesNothingAndNoEffectHappensTwice() throws Exception {
        MongoDatabase db = client.getDatabase(database);
        MongoEventStorageEngine engine = MongoEventStorageEngine.builder().database(db)
                .eventSerializer(TandemSerializers.json()).snapshotSerializer(TandemSerializers.json()).build();
        for (int couple = 0; couple < EVENTS / 100; couple++) {
            List<DomainEventMessage<?>> events = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                events.add(new GenericDomainEventMessage<>("Couple", "couple-" + couple, i, "event " + i));
            }
            engine.appendEvents(events);
        }

        EmbeddedKafka.createTopics(DevServers.shared().kafkaBootstrapServers(), 3, topic, topic + IntegrationEventConsumer.DEAD_LETTER_SUFFIX);
        Effects effects = new Effects(db, topic);
        Map<String, Object> kafka = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, DevServers.shared().kafkaBootstrapServers());
        consumer = new IntegrationEventConsumer(kafka, kafka, "effects-" + database, "effects-" + database, List.of(effects),
                new DeadLetters(db, Clock.systemUTC()), IntegrationEventConsumer.Settings.of(3, 5));
        consumer.start();

        Process first = startWorker();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> effects.deliveries.get() >= 1_000);
        first.destroyForcibly(); // SIGKILL, mid-batch
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int deliveredBeforeKill = effects.deliveries.get();
        assertThat(deliveredBeforeKill).as("killed in the middle of publishing").isLessThan(EVENTS);

        startWorker();
        await().atMost(Duration.ofMinutes(2)).until(() -> effects.effects.countDocuments() == EVENTS);
        Thread.sleep(1_000); // a late duplicate would show now
        assertThat(effects.effects.countDocuments()).isEqualTo(EVENTS);
        assertThat(effects.deliveries.get()).isGreaterThanOrEqualTo(EVENTS);
    }

    private Process startWorker() throws Exception {
        Process process = WorkerProcess.start(RelayWorker.class, DevServers.shared().mongoUri(), database,
                DevServers.shared().kafkaBootstrapServers(), topic);
        workers.add(process);
        return process;
    }
}
