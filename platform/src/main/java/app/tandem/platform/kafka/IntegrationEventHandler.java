package app.tandem.platform.kafka;

import app.tandem.events.v1.EventEnvelope;

import java.util.Set;

/**
 * Consumes integration events. Kafka delivers at least once, so {@link #handle} must record its effect
 * idempotently, keyed by {@link EventEnvelope#getEventId()}; the offset is committed only after it returns.
 */
public interface IntegrationEventHandler {

    Set<String> topics();

    void handle(EventEnvelope envelope);
}
