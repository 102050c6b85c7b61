package app.tandem.platform.kafka;

import app.tandem.events.v1.CoupleCreated;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.devservers.EmbeddedKafka;
import app.tandem.devservers.DevServers;
import app.tandem.devservers.TemporaryFolders;
import com.google.protobuf.Any;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer whose broker is away longer than every client timeout goes on once it is back: everything handled, each
 * effect once, no dead letter. The client's request and API-call timeouts are set shorter than their defaults (30 s and
 * 60 s), so every one of them runs out within an outage of 25 s, as it would in a longer one with the defaults.
 */
class BrokerOutageTest {

    /** Longer than every client timeout: the session (15 s), a request (10 s) and an API call (20 s). */
    private static final Duration OUTAGE = Duration.ofSeconds(25);

    @Test
    void aConsumerWaitsOutItsBrokerAndHandlesEverythingOnceInEffect() throws Exception {
        Path log = Files.createTempDirectory("tandem-outage");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String topic = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        String servers = "127.0.0.1:" + port;
        EmbeddedKafka broker = EmbeddedKafka.onDisk(log, "127.0.0.1", port, 3);
        IntegrationEventConsumer consumer = null;
        try (MongoClient mongo = MongoClients.create(DevServers.shared().mongoUri())) {
            MongoDatabase db = mongo.getDatabase("outage-" + UUID.randomUUID().toString().substring(0, 8));
            EmbeddedKafka.createTopics(servers, 3, topic, topic + IntegrationEventConsumer.DEAD_LETTER_SUFFIX);
            RelayKillTest.Effects effects = new RelayKillTest.Effects(db, topic);
            DeadLetters deadLetters = new DeadLetters(db, Clock.systemUTC());
            Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers,
                    CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000, CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
            consumer = new IntegrationEventConsumer(client, client, "outage", "outage-member", List.of(effects), deadLetters,
                    IntegrationEventConsumer.Settings.of(2, 3));
            consumer.start();

            publish(servers, topic, 0, 100);
            await().atMost(Duration.ofSeconds(30)).until(() -> effects.effects.countDocuments() == 100);

            broker.close();
            Thread.sleep(OUTAGE.toMillis());
            broker = EmbeddedKafka.onDisk(log, "127.0.0.1", port, 3);

            publish(servers, topic, 100, 200);
            await().atMost(Duration.ofSeconds(90)).until(() -> effects.effects.countDocuments() == 200);
            Thread.sleep(1_000); // a late duplicate would show now
            assertThat(effects.effects.countDocuments()).isEqualTo(200);
            assertThat(deadLetters.page(0, 10)).isEmpty();
            assertThat(consumer.isHealthy()).isTrue();
        } finally {
            if (consumer != null) {
                consumer.destroy();
            }
            broker.close();
            TemporaryFolders.delete(log);
        }
    }

    private static void publish(String servers, String topic, int from, int to) {
        try (Producer<String, byte[]> producer = IntegrationEventProducer.create(servers)) {
            for (int n = from; n < to; n++) {
                String couple = "couple-" + n % 10;
                producer.send(new ProducerRecord<>(topic, couple, EventEnvelope.newBuilder().setEventId("event-" + n).setCoupleId(couple)
                        .setPayload(Any.pack(CoupleCreated.newBuilder().setCoupleId(couple).build())).build().toByteArray()));
            }
        }
    }
}
