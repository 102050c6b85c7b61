package app.tandem.platform.kafka;

import org.axonframework.eventhandling.EventMessage;

import java.util.List;

/**
 * Decides which stored domain events leave the service, and as what. Anything not returned here stays
 * inside the service: private entries are simply never translated.
 */
public interface IntegrationEventTranslator {

    List<IntegrationEvent> translate(EventMessage<?> event);
}
