package app.tandem.journal.couple;

import app.tandem.journal.couple.CoupleDirectory.CoupleEntry;
import app.tandem.journal.couple.CoupleEvents.SupportRequested;
import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The couples a person is or was in, and every "I need support now" they sent: those live only in the couple's events,
 * so they are read from there. The partner appears in neither: their id is theirs.
 */
@Component
public class CouplePersonalData implements PersonalData {

    private final CoupleDirectory directory;
    private final EventStore events;

    public CouplePersonalData(CoupleDirectory directory, EventStore events) {
        this.directory = directory;
        this.events = events;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (CoupleEntry couple : directory.couplesOf(personId)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("founder", personId.equals(couple.founderPersonId()));
            fields.put("partner", couple.isPartner(personId));
            fields.put("createdAt", StoredFields.time(couple.createdAt()));
            export.item("couple", couple.coupleId(), fields);
            DomainEventStream stream = events.readEvents(couple.coupleId());
            while (stream.hasNext()) {
                if (stream.next().getPayload() instanceof SupportRequested support && support.personId().equals(personId)) {
                    export.item("support-request", support.requestId(), Map.of("coupleId", support.coupleId(),
                            "requestedAt", StoredFields.time(support.requestedAt())));
                }
            }
        }
    }

    @Override
    public void erase(String personId) {
        directory.erase(personId);
    }
}
