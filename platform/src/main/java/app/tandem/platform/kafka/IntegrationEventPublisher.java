package app.tandem.platform.kafka;

import app.tandem.events.v1.EventEnvelope;
import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes integration events from the event store: the store is the outbox. It runs in its own tracking
 * processor, and a record is acknowledged by every in-sync replica before the processor's token moves past
 * the stored event, so a crash republishes (consumers deduplicate by event id) and never loses.
 */
@ProcessingGroup(IntegrationEventPublisher.PROCESSING_GROUP)
public class IntegrationEventPublisher {

    public static final String PROCESSING_GROUP = "integration-publisher";

    private final Producer<String, byte[]> producer;
    private final IntegrationEventTranslator translator;
    private final String topic;

    public IntegrationEventPublisher(Producer<String, byte[]> producer, IntegrationEventTranslator translator, String topic) {
        this.producer = producer;
        this.translator = translator;
        this.topic = topic;
    }

    /** Re-publishing on a replay would re-send prompts downstream, so replays skip this handler. */
    @EventHandler
    @DisallowReplay
    public void publish(EventMessage<?> event) throws InterruptedException, ExecutionException, TimeoutException {
        List<IntegrationEvent> published = translator.translate(event);
        for (int i = 0; i < published.size(); i++) {
            IntegrationEvent integrationEvent = published.get(i);
            String eventId = published.size() == 1 ? event.getIdentifier() : event.getIdentifier() + "/" + i;
            EventEnvelope envelope = envelope(event, integrationEvent, eventId);
            producer.send(new ProducerRecord<>(topic, integrationEvent.coupleId(), envelope.toByteArray()))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    static EventEnvelope envelope(EventMessage<?> event, IntegrationEvent integrationEvent, String eventId) {
        Instant at = event.getTimestamp();
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder()
                .setEventId(eventId)
                .setEventType(integrationEvent.payload().getDescriptorForType().getFullName())
                .setSchemaVersion(1)
                .setCoupleId(integrationEvent.coupleId())
                .setSubjectPersonId(nullToEmpty(integrationEvent.subjectPersonId()))
                .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
                // Axon's correlation data: traceId is the root request, correlationId the message that caused this one
                .setCorrelationId(java.util.Objects.toString(event.getMetaData().get("traceId"), ""))
                .setCausationId(java.util.Objects.toString(event.getMetaData().get("correlationId"), ""))
                .setPayload(Any.pack(integrationEvent.payload()));
        if (event instanceof DomainEventMessage<?> domainEvent && domainEvent.getAggregateIdentifier() != null) {
            envelope.setAggregateId(domainEvent.getAggregateIdentifier()).setAggregateSequence(domainEvent.getSequenceNumber());
        }
        return envelope.build();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
