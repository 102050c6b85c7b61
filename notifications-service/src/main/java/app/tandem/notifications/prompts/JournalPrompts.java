package app.tandem.notifications.prompts;

import app.tandem.events.v1.CheckInShared;
import app.tandem.events.v1.CoupleCreated;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.events.v1.PartnerJoined;
import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.platform.kafka.IntegrationEventHandler;
import com.google.protobuf.InvalidProtocolBufferException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;

import static com.mongodb.client.model.Filters.eq;

/** Turns what happens in the journal into prompts for the partner it concerns. */
@Component
public class JournalPrompts implements IntegrationEventHandler {

    public static final String TOPIC = "tandem.journal.v1";

    private final Inbox inbox;
    /** This service's own view of who is in which couple, built from the journal's events. */
    private final MongoCollection<Document> couples;

    public JournalPrompts(Inbox inbox, MongoDatabase database) {
        this.inbox = inbox;
        this.couples = database.getCollection("couple_partners");
    }

    @Override
    public Set<String> topics() {
        return Set.of(TOPIC);
    }

    @Override
    public void handle(EventEnvelope envelope) {
        try {
            if (envelope.getPayload().is(CoupleCreated.class)) {
                CoupleCreated created = envelope.getPayload().unpack(CoupleCreated.class);
                addPartner(created.getCoupleId(), created.getFounderPersonId());
            } else if (envelope.getPayload().is(PartnerJoined.class)) {
                PartnerJoined joined = envelope.getPayload().unpack(PartnerJoined.class);
                for (String partner : partnersOf(joined.getCoupleId())) {
                    if (!partner.equals(joined.getPersonId())) {
                        inbox.deliver(new Inbox.Draft(envelope.getEventId(), partner, NotificationKind.PARTNER_JOINED,
                                joined.getCoupleId(), "Your partner joined", "Your shared journal is ready.", null));
                    }
                }
                addPartner(joined.getCoupleId(), joined.getPersonId());
            } else if (envelope.getPayload().is(CheckInShared.class)) {
                CheckInShared shared = envelope.getPayload().unpack(CheckInShared.class);
                inbox.deliver(new Inbox.Draft(envelope.getEventId(), shared.getPartnerPersonId(), NotificationKind.PARTNER_CHECKED_IN,
                        shared.getCoupleId(), "Your partner checked in", "They shared a check-in with you.", shared.getCheckInId()));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed " + envelope.getEventType(), e);
        }
    }

    private void addPartner(String coupleId, String personId) {
        couples.updateOne(eq("_id", coupleId), Updates.addToSet("partners", personId), new UpdateOptions().upsert(true));
    }

    private List<String> partnersOf(String coupleId) {
        Document couple = couples.find(eq("_id", coupleId)).first();
        return couple == null ? List.of() : couple.getList("partners", String.class);
    }
}
