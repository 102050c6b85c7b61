package app.tandem.care.integration;

import app.tandem.care.consent.ConsentEvents;
import app.tandem.events.v1.ConsentExpiring;
import app.tandem.events.v1.CounselorFirstRead;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.kafka.IntegrationEvent;
import app.tandem.platform.kafka.IntegrationEventTranslator;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * What care-service tells other services, for prompts to the consenting partner alone: never who the counselor is,
 * what is disclosed, or anything the other partner could learn a consent from. Keyed by the patient.
 */
@Component
public class CareIntegrationEvents implements IntegrationEventTranslator {

    @Override
    public List<IntegrationEvent> translate(EventMessage<?> event) {
        Object payload = event.getPayload();
        if (payload instanceof ConsentEvents.ConsentExpiryNear near) {
            return List.of(new IntegrationEvent(null, near.patientPersonId(), ConsentExpiring.newBuilder()
                    .setConsentId(near.consentId()).setPatientPersonId(near.patientPersonId())
                    .setExpiresAt(Timestamps.of(near.expiresAt())).build()));
        }
        if (payload instanceof ConsentEvents.CounselorFirstRead read) {
            return List.of(new IntegrationEvent(null, read.patientPersonId(), CounselorFirstRead.newBuilder()
                    .setConsentId(read.consentId()).setPatientPersonId(read.patientPersonId())
                    .setReadAt(Timestamps.of(read.at())).build()));
        }
        return List.of();
    }
}
