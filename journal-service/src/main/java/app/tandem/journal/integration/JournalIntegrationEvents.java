package app.tandem.journal.integration;

import app.tandem.events.v1.CheckInShared;
import app.tandem.events.v1.CoupleCreated;
import app.tandem.events.v1.PartnerJoined;
import app.tandem.journal.checkin.CheckInRecorded;
import app.tandem.journal.checkin.Visibility;
import app.tandem.journal.couple.CoupleEvents;
import app.tandem.platform.kafka.IntegrationEvent;
import app.tandem.platform.kafka.IntegrationEventTranslator;
import app.tandem.platform.grpc.Timestamps;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * What the journal tells other services. Private check-ins are never published, and shared ones go out
 * without their note: other services learn that a partner checked in, not what they wrote.
 */
@Component
public class JournalIntegrationEvents implements IntegrationEventTranslator {

    @Override
    public List<IntegrationEvent> translate(EventMessage<?> event) {
        Object payload = event.getPayload();
        if (payload instanceof CoupleEvents.CoupleCreated created) {
            return List.of(new IntegrationEvent(created.coupleId(), created.founderPersonId(), CoupleCreated.newBuilder()
                    .setCoupleId(created.coupleId()).setFounderPersonId(created.founderPersonId()).build()));
        }
        if (payload instanceof CoupleEvents.PartnerJoined joined) {
            return List.of(new IntegrationEvent(joined.coupleId(), joined.personId(), PartnerJoined.newBuilder()
                    .setCoupleId(joined.coupleId()).setPersonId(joined.personId()).build()));
        }
        if (payload instanceof CheckInRecorded checkIn
                && checkIn.visibility() == Visibility.SHARED_WITH_PARTNER && checkIn.partnerPersonId() != null) {
            return List.of(new IntegrationEvent(checkIn.coupleId(), checkIn.authorPersonId(), CheckInShared.newBuilder()
                    .setCheckInId(checkIn.checkInId())
                    .setCoupleId(checkIn.coupleId())
                    .setAuthorPersonId(checkIn.authorPersonId())
                    .setPartnerPersonId(checkIn.partnerPersonId())
                    .setOccurredAt(Timestamps.of(checkIn.occurredAt()))
                    .setMood(checkIn.mood())
                    .setCravingIntensity(checkIn.cravingIntensity())
                    .build()));
        }
        return List.of();
    }
}
