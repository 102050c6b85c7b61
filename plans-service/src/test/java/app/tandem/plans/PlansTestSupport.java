package app.tandem.plans;

import app.tandem.events.v1.CoupleCreated;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.events.v1.PartnerJoined;
import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.journal.JournalApplication;
import app.tandem.devservers.EmbeddedKafka;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.LocalIdentities;
import app.tandem.testkit.RunningService;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.kafka.IntegrationEventProducer;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.mongodb.client.MongoDatabase;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static com.mongodb.client.model.Filters.eq;
import static org.awaitility.Awaitility.await;

/**
 * plans-service on the embedded stack, with the journal's side of Kafka played by the test, and a real journal-service
 * that plans-service asks for the facts the journal's events leave out (and that records real entries for tests of them).
 */
final class PlansTestSupport {

    static final String JOURNAL_TOPIC = "tandem.journal.v1";
    static final String PLANS_TOPIC = "tandem.plans.v1";

    private PlansTestSupport() {
    }

    /** A clock the test moves forward by hand. */
    static final class TestClock extends Clock {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration duration) {
            now.updateAndGet(i -> i.plus(duration));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    /** Settings for one plans-service: its own database and consumer group, kept across restarts. */
    static Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>(EmbeddedStack.shared().serviceProperties(PlansApplication.NAME));
        properties.put("tandem.plans.timers.poll-interval", "200ms");
        properties.put("tandem.plans.journal-target", "127.0.0.1:" + RealJournal.shared().service.port());
        return properties;
    }

    /**
     * journal-service itself, one for every test class that asks for it ({@code @ExtendWith(RealJournal.Started.class)}),
     * closed when the whole run ends: its facts API answers plans-service, and its public API records what a test needs
     * the real facts of. What it publishes reaches plans-service like the test's own events.
     */
    static final class RealJournal implements AutoCloseable {
        private static RealJournal shared;

        final RunningService service;

        private RealJournal(RunningService service) {
            this.service = service;
        }

        static final class Started implements BeforeAllCallback {
            @Override
            public void beforeAll(ExtensionContext context) {
                shared = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(RealJournal.class,
                        key -> new RealJournal(RunningService.start(JournalApplication.NAME, JournalApplication.class,
                                EmbeddedStack.shared().serviceProperties(JournalApplication.NAME))), RealJournal.class);
            }
        }

        static RealJournal shared() {
            if (shared == null) {
                throw new IllegalStateException("annotate the test class with @ExtendWith(PlansTestSupport.RealJournal.Started.class)");
            }
            return shared;
        }

        @Override
        public void close() {
            service.close();
        }

        /** A couple of two in the journal: created by {@code founder}, joined by {@code partner}. */
        String couple(String founder, String partner) {
            CreateCoupleResponse created = CoupleServiceGrpc.newBlockingStub(service.channel()).withCallCredentials(service.asPartner(founder))
                    .createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(key()).build());
            CoupleServiceGrpc.newBlockingStub(service.channel()).withCallCredentials(service.asPartner(partner))
                    .joinCouple(JoinCoupleRequest.newBuilder().setIdempotencyKey(key()).setInviteCode(created.getInviteCode()).build());
            return created.getCoupleId();
        }

        JournalServiceGrpc.JournalServiceBlockingStub as(String person) {
            return JournalServiceGrpc.newBlockingStub(service.channel()).withCallCredentials(service.asPartner(person));
        }
    }

    /** A running plans-service whose clock is the test's. */
    static final class Plans implements AutoCloseable {
        private final RunningService service;
        final ConfigurableApplicationContext context;
        final ManagedChannel channel;

        private Plans(RunningService service) {
            this.service = service;
            this.context = service.context();
            this.channel = service.channel();
        }

        static Plans start(Map<String, Object> properties, Clock clock) {
            return new Plans(RunningService.start(PlansApplication.NAME, PlansApplication.class, properties, clock));
        }

        PlansServiceGrpc.PlansServiceBlockingStub stub() {
            return PlansServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        }

        MongoDatabase database() {
            return context.getBean(MongoDatabase.class);
        }

        /** Payload types of the stored events of one aggregate, in order. */
        List<String> storedEventsOf(String aggregateId) {
            List<String> types = new ArrayList<>();
            for (Document d : database().getCollection("domain_events").find(eq("aggregateIdentifier", aggregateId))
                    .sort(new Document("sequenceNumber", 1))) {
                String type = d.getString("payloadType");
                types.add(type.substring(type.lastIndexOf('$') + 1));
            }
            return types;
        }

        long storedEventCount() {
            return database().getCollection("domain_events").countDocuments();
        }

        /** Waits until the journal's couple events reached this service's own view of the couple. */
        void awaitCouple(String coupleId, int partners) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Document couple = database().getCollection("couple_partners").find(eq("_id", coupleId)).first();
                return couple != null && couple.getList("partners", String.class).size() == partners;
            });
        }

        @Override
        public void close() {
            service.close();
        }
    }

    /** The gateway's assertion that {@code personId}, a partner, makes the call. */
    static CallCredentials as(String personId) {
        return LocalIdentities.shared().partner(PlansApplication.NAME, personId);
    }

    static String key() {
        return UUID.randomUUID().toString();
    }

    /** Publishes journal integration events exactly as journal-service's relay does: an envelope keyed by couple id. */
    static final class Journal implements AutoCloseable {
        private final Producer<String, byte[]> producer;
        private long sequence;

        Journal() {
            EmbeddedKafka.createTopics(EmbeddedStack.shared().kafkaBootstrapServers(), 3, JOURNAL_TOPIC, PLANS_TOPIC);
            producer = IntegrationEventProducer.create(EmbeddedStack.shared().kafkaBootstrapServers());
        }

        EventEnvelope publish(String coupleId, String subject, Message payload, Instant occurredAt) {
            EventEnvelope envelope = EventEnvelope.newBuilder()
                    .setEventId(UUID.randomUUID().toString())
                    .setEventType(payload.getDescriptorForType().getFullName())
                    .setSchemaVersion(1)
                    .setCoupleId(coupleId)
                    .setSubjectPersonId(subject)
                    .setAggregateId(coupleId)
                    .setAggregateSequence(sequence++)
                    .setOccurredAt(Timestamps.of(occurredAt))
                    .setPayload(Any.pack(payload))
                    .build();
            return republish(envelope);
        }

        /** Sends an envelope again, as a relay does after a crash. */
        EventEnvelope republish(EventEnvelope envelope) {
            try {
                producer.send(new ProducerRecord<>(JOURNAL_TOPIC, envelope.getCoupleId(), envelope.toByteArray())).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Kafka did not take the event", e);
            }
            return envelope;
        }

        /** A couple of two: created by {@code founder}, joined by {@code partner}. */
        String couple(String founder, String partner, Instant at) {
            String coupleId = UUID.randomUUID().toString();
            publish(coupleId, founder, CoupleCreated.newBuilder().setCoupleId(coupleId).setFounderPersonId(founder).build(), at);
            publish(coupleId, partner, PartnerJoined.newBuilder().setCoupleId(coupleId).setPersonId(partner).build(), at);
            return coupleId;
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** Everything plans-service published for a couple, read from the start of its topic, by event id. */
    static Map<String, EventEnvelope> publishedFor(String coupleId) {
        Map<String, EventEnvelope> published = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedStack.shared().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "plans-test-" + key(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(PLANS_TOPIC));
            int emptyPolls = 0;
            while (emptyPolls < 4) {
                var records = consumer.poll(Duration.ofMillis(400));
                emptyPolls = records.isEmpty() && !consumer.assignment().isEmpty() ? emptyPolls + 1 : 0;
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (coupleId.equals(record.key())) {
                        try {
                            EventEnvelope envelope = EventEnvelope.parseFrom(record.value());
                            published.put(envelope.getEventId(), envelope);
                        } catch (InvalidProtocolBufferException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }
        }
        return published;
    }

    /** How many distinct published events of each type a couple has. */
    static Map<String, Long> publishedTypes(String coupleId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (EventEnvelope envelope : publishedFor(coupleId).values()) {
            counts.merge(envelope.getEventType().substring("tandem.events.v1.".length()), 1L, Long::sum);
        }
        return counts;
    }
}
