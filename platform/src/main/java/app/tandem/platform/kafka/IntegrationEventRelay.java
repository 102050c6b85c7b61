package app.tandem.platform.kafka;

import app.tandem.platform.logging.Redacted;
import app.tandem.events.v1.EventEnvelope;
import com.google.protobuf.Any;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.tracing.StoredTraceContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.support.micrometer.KafkaRecordSenderContext;
import org.springframework.kafka.support.micrometer.KafkaTemplateObservation;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Publishes integration events from the event store: the store is the outbox, and this relay is a tracking
 * reader of it with its own token in the token store. Each batch is sent, and every record acknowledged by
 * all in-sync replicas, before the token moves past it, so a crash republishes (consumers deduplicate by
 * event id) and never loses an event. The token only moves forward: a replay of the service's projections
 * never re-publishes anything. One instance of a service holds the claim and publishes; others stand by.
 */
public class IntegrationEventRelay implements SmartLifecycle {

    public static final String PROCESSOR_NAME = "integration-publisher";
    private static final Logger log = LoggerFactory.getLogger(IntegrationEventRelay.class);
    private static final int SEGMENT = 0;

    /** How far before its reader's position an event that filled a gap can lie: the store's largest gap. */
    private static final int GAP_REACH = 10_000;

    private final StreamableMessageSource<TrackedEventMessage<?>> eventStore;
    private final TokenStore tokenStore;
    private final Producer<String, byte[]> producer;
    private final IntegrationEventTranslator translator;
    private final String topic;
    private final int batchSize;
    private final DeadLetters deadLetters;
    private final ObservationRegistry observations;
    private volatile boolean running;
    private final Object wake = new Object();
    private volatile OptionalLong publishingAt = OptionalLong.empty();
    private Thread thread;

    public IntegrationEventRelay(StreamableMessageSource<TrackedEventMessage<?>> eventStore, TokenStore tokenStore,
                                 Producer<String, byte[]> producer, IntegrationEventTranslator translator, String topic,
                                 int batchSize, DeadLetters deadLetters) {
        this(eventStore, tokenStore, producer, translator, topic, batchSize, deadLetters, ObservationRegistry.NOOP);
    }

    /** @param observations traces each publication as a child of the request that stored the event */
    public IntegrationEventRelay(StreamableMessageSource<TrackedEventMessage<?>> eventStore, TokenStore tokenStore,
                                 Producer<String, byte[]> producer, IntegrationEventTranslator translator, String topic,
                                 int batchSize, DeadLetters deadLetters, ObservationRegistry observations) {
        this.observations = observations;
        this.deadLetters = deadLetters;
        this.eventStore = eventStore;
        this.tokenStore = tokenStore;
        this.producer = producer;
        this.translator = translator;
        this.topic = topic;
        this.batchSize = batchSize;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::relay, "integration-relay");
        thread.start();
    }

    private void relay() {
        try {
            relayUntilStopped();
        } finally {
            publishingAt = OptionalLong.empty();
        }
    }

    private void relayUntilStopped() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(30_000);
        BackOffExecution backoff = backOff.start();
        while (running) {
            try {
                if (tokenStore.fetchSegments(PROCESSOR_NAME).length == 0) {
                    // a new service publishes everything it has ever stored
                    tokenStore.initializeTokenSegments(PROCESSOR_NAME, 1, null);
                }
                TrackingToken token = tokenStore.fetchToken(PROCESSOR_NAME, SEGMENT); // claims the segment
                publishingAt = OptionalLong.of(position(token));
                try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(token)) {
                    while (running) {
                        publishNextBatch(stream);
                        backoff = backOff.start();
                    }
                } finally {
                    tokenStore.releaseClaim(PROCESSOR_NAME, SEGMENT);
                }
            } catch (UnableToClaimTokenException e) {
                publishingAt = OptionalLong.empty();
                pause(2_000); // another instance publishes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    long wait = backoff.nextBackOff();
                    log.warn("publishing integration events failed; resuming from the last acknowledged event in {} ms", wait, Redacted.of(e));
                    pause(wait);
                }
            }
        }
    }

    private void publishNextBatch(BlockingStream<TrackedEventMessage<?>> stream) throws InterruptedException {
        if (!stream.hasNextAvailable(500, TimeUnit.MILLISECONDS)) {
            tokenStore.extendClaim(PROCESSOR_NAME, SEGMENT);
            return;
        }
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>();
        TrackingToken batchEnd = null;
        for (int read = 0; read < batchSize && stream.hasNextAvailable(); read++) {
            TrackedEventMessage<?> event = stream.nextAvailable();
            send(event, acknowledgements);
            batchEnd = event.trackingToken();
        }
        producer.flush();
        for (Future<RecordMetadata> acknowledgement : acknowledgements) {
            try {
                acknowledgement.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("Kafka did not acknowledge an integration event", e.getCause());
            }
        }
        tokenStore.storeToken(batchEnd, PROCESSOR_NAME, SEGMENT);
        publishingAt = OptionalLong.of(position(batchEnd));
    }

    /** Sends what the event translates to; an event whose translation fails is set aside, and publication goes on. */
    private void send(TrackedEventMessage<?> event, List<Future<RecordMetadata>> acknowledgements) {
        List<IntegrationEvent> published;
        try {
            published = translator.translate(event);
        } catch (RuntimeException untranslatable) {
            deadLetters.unpublished(event.trackingToken().position().orElse(-1), event.getIdentifier(), event.getPayloadType().getName(),
                    untranslatable);
            return;
        }
        if (published.isEmpty()) {
            return;
        }
        // the request's trace, from the stored event's metadata: publication comes later, on this relay's thread
        ReceiverContext<MetaData> stored = new ReceiverContext<>(StoredTraceContext::field);
        stored.setCarrier(event.getMetaData());
        Observation publication = Observation.createNotStarted("tandem.integration.publish", () -> stored, observations)
                .contextualName("publish " + event.getPayloadType().getSimpleName())
                .start();
        try {
            for (int i = 0; i < published.size(); i++) {
                acknowledgements.add(sendTraced(record(event, published, i), publication));
            }
        } finally {
            publication.stop();
        }
    }

    /**
     * Sends the record under a producer observation (spring-kafka's, as its KafkaTemplate would), which writes the
     * trace context into the record's headers (W3C {@code traceparent}); it ends when Kafka acknowledges the record.
     */
    private Future<RecordMetadata> sendTraced(ProducerRecord<String, byte[]> record, Observation publication) {
        Observation sending = KafkaTemplateObservation.TEMPLATE_OBSERVATION.observation(null,
                        KafkaTemplateObservation.DefaultKafkaTemplateObservationConvention.INSTANCE,
                        () -> new KafkaRecordSenderContext(record, PROCESSOR_NAME, () -> null), observations)
                .parentObservation(publication)
                .start();
        return producer.send(record, (metadata, failure) -> {
            if (failure != null) {
                sending.error(failure);
            }
            sending.stop();
        });
    }

    /**
     * Publishes again the event {@code eventId} that was set aside, once its translation succeeds (after a fix): for an
     * operator's retry. {@code position} is where its reader was when it was set aside; an event that filled a gap
     * carries a later position than its own, so the store is read from a gap's reach before it. Consumers
     * deduplicate by event id.
     */
    public void republish(long position, String eventId) throws InterruptedException {
        long from = Math.max(0, position - GAP_REACH - 1);
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(GapAwareTrackingToken.newInstance(from, List.of()))) {
            TrackedEventMessage<?> event = null;
            while (event == null && stream.hasNextAvailable(5, TimeUnit.SECONDS)) {
                TrackedEventMessage<?> next = stream.nextAvailable();
                if (next.getIdentifier().equals(eventId)) {
                    event = next;
                } else if (next.trackingToken().position().orElse(Long.MAX_VALUE) > position) {
                    break;
                }
            }
            if (event == null) {
                throw new IllegalStateException("no event " + eventId + " up to position " + position);
            }
            List<Future<RecordMetadata>> acknowledgements = new ArrayList<>();
            List<IntegrationEvent> published = translator.translate(event);
            for (int i = 0; i < published.size(); i++) {
                acknowledgements.add(producer.send(record(event, published, i)));
            }
            producer.flush();
            for (Future<RecordMetadata> acknowledgement : acknowledgements) {
                acknowledgement.get(30, TimeUnit.SECONDS);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the event again", e);
        }
    }

    /** Waits before the next try; {@link #stop} ends the wait, so a long back-off never holds up a shutdown. */
    private void pause(long millis) {
        synchronized (wake) {
            try {
                if (running) {
                    wake.wait(millis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The record of the {@code i}th fact a stored event became, first published or again: its event id is the stored
     * event's, suffixed when the event became several, so consumers deduplicate a republished one.
     */
    private ProducerRecord<String, byte[]> record(EventMessage<?> event, List<IntegrationEvent> published, int i) {
        IntegrationEvent integrationEvent = published.get(i);
        String eventId = published.size() == 1 ? event.getIdentifier() : event.getIdentifier() + "/" + i;
        return new ProducerRecord<>(integrationEvent.topicOr(topic), integrationEvent.key(),
                envelope(event, integrationEvent, eventId).toByteArray());
    }

    static EventEnvelope envelope(EventMessage<?> event, IntegrationEvent integrationEvent, String eventId) {
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder()
                .setEventId(eventId)
                .setEventType(integrationEvent.payload().getDescriptorForType().getFullName())
                .setSchemaVersion(1)
                .setCoupleId(Objects.toString(integrationEvent.coupleId(), ""))
                .setSubjectPersonId(Objects.toString(integrationEvent.subjectPersonId(), ""))
                .setOccurredAt(Timestamps.of(event.getTimestamp()))
                // Axon's correlation data: traceId is the root request, correlationId the message that caused this one
                .setCorrelationId(Objects.toString(event.getMetaData().get("traceId"), ""))
                .setCausationId(Objects.toString(event.getMetaData().get("correlationId"), ""))
                .setPayload(Any.pack(integrationEvent.payload()));
        if (event instanceof DomainEventMessage<?> domainEvent && domainEvent.getAggregateIdentifier() != null) {
            envelope.setAggregateId(domainEvent.getAggregateIdentifier()).setAggregateSequence(domainEvent.getSequenceNumber());
        }
        return envelope.build();
    }

    /**
     * The position up to which Kafka acknowledged every integration event while this instance publishes (0 before the
     * first event), kept while it retries after a failure so its lag keeps growing, until another instance is found
     * publishing (for a moment both report); empty while another instance publishes and once stopped.
     */
    public OptionalLong publishingAt() {
        return publishingAt;
    }

    private static long position(TrackingToken token) {
        return token == null ? 0 : token.position().orElse(0);
    }


    @Override
    public void stop() {
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(15_000);
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
