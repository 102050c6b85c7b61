package app.tandem.platform.kafka;

import app.tandem.devservers.DevServers;
import app.tandem.devservers.EmbeddedKafka;
import app.tandem.events.v1.CoupleCreated;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.platform.axon.TandemSerializers;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import app.tandem.platform.eventstore.TailingEventStore;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** An event its translation fails for is set aside for operators, publication goes on, and a retry publishes it. */
class UnpublishedEventTest {

    private final MongoClient client = MongoClients.create(DevServers.shared().mongoUri());
    private final MongoDatabase database = client.getDatabase("unpublished-" + UUID.randomUUID());
    private final String topic = "unpublished-" + UUID.randomUUID().toString().substring(0, 8);
    private IntegrationEventRelay relay;

    @AfterEach
    void close() {
        if (relay != null) {
            relay.stop();
        }
        client.close();
    }

    @Test
    void anUntranslatableEventIsSetAsideAndPublishedWhenRetriedAfterAFix() throws Exception {
        MongoEventStorageEngine engine = MongoEventStorageEngine.builder().database(database)
                .eventSerializer(TandemSerializers.json()).snapshotSerializer(TandemSerializers.json()).build();
        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(new GenericDomainEventMessage<>("Couple", "couple-" + i, 0, i == 2 ? "broken" : "fine"));
        }
        engine.appendEvents(events);
        String broken = events.get(2).getIdentifier();
        EmbeddedKafka.createTopics(DevServers.shared().kafkaBootstrapServers(), 1, topic);

        AtomicBoolean fixed = new AtomicBoolean();
        DeadLetters deadLetters = new DeadLetters(database, Clock.systemUTC());
        Producer<String, byte[]> producer = IntegrationEventProducer.create(DevServers.shared().kafkaBootstrapServers());
        relay = new IntegrationEventRelay(TailingEventStore.builder().storageEngine(engine).build(),
                MongoTokenStore.builder().mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(database).build())
                        .serializer(TandemSerializers.json()).build(),
                producer, event -> {
                    if (event.getPayload().equals("broken") && !fixed.get()) {
                        throw new IllegalStateException("a translation that has a bug");
                    }
                    String couple = ((DomainEventMessage<?>) event).getAggregateIdentifier();
                    return List.of(new IntegrationEvent(couple, couple, CoupleCreated.newBuilder().setCoupleId(couple).build()));
                }, topic, 100, deadLetters);
        relay.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.page(0, 10).size() == 1 && published().size() == 4);
        DeadLetters.DeadLetter letter = deadLetters.page(0, 10).get(0);
        assertThat(letter.kind()).isEqualTo(DeadLetters.Kind.UNPUBLISHED);
        assertThat(letter.eventId()).isEqualTo(broken);
        assertThat(letter.error()).isEqualTo(IllegalStateException.class.getName());
        assertThat(published()).doesNotContain(broken);

        // a position that names another event publishes nothing: the letter's event is looked for by its id
        assertThatThrownBy(() -> relay.republish(letter.position(), UUID.randomUUID().toString()))
                .isInstanceOf(IllegalStateException.class);
        fixed.set(true);
        relay.republish(letter.position(), letter.eventId());
        assertThat(published()).hasSize(5).containsOnlyOnce(broken);
    }

    /** The event ids on the topic, read from the start. */
    private List<String> published() {
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, DevServers.shared().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            reader.subscribe(List.of(topic));
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    try {
                        ids.add(EventEnvelope.parseFrom(record.value()).getEventId());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return ids;
    }
}
