package app.tandem.plans.membership;

import app.tandem.events.v1.CoupleCreated;
import app.tandem.events.v1.CoupleDissolved;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.events.v1.PartnerJoined;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.kafka.IntegrationEventHandler;
import com.google.protobuf.InvalidProtocolBufferException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static com.mongodb.client.model.Filters.eq;

/**
 * plans-service's own view of who is in which couple, learnt from the journal's integration events. Every write
 * is an idempotent set operation, so a redelivered event changes nothing. A dissolved couple stays dissolved.
 */
@Component
public class CouplePartners implements IntegrationEventHandler {

    public static final String JOURNAL_TOPIC = "tandem.journal.v1";

    public record Couple(String coupleId, List<String> partners, boolean dissolved) {

        public String partnerOf(String personId) {
            return partners.stream().filter(p -> !p.equals(personId)).findFirst()
                    .orElseThrow(() -> new RuleViolation("your partner has not joined yet"));
        }
    }

    private final MongoCollection<Document> couples;

    public CouplePartners(MongoDatabase database) {
        this.couples = database.getCollection("couple_partners");
        // the couples a person is or was in, for their export and erasure
        couples.createIndex(Indexes.ascending("partners"));
    }

    @Override
    public Set<String> topics() {
        return Set.of(JOURNAL_TOPIC);
    }

    @Override
    public void handle(EventEnvelope envelope) {
        try {
            if (envelope.getPayload().is(CoupleCreated.class)) {
                CoupleCreated created = envelope.getPayload().unpack(CoupleCreated.class);
                addPartner(created.getCoupleId(), created.getFounderPersonId());
            } else if (envelope.getPayload().is(PartnerJoined.class)) {
                PartnerJoined joined = envelope.getPayload().unpack(PartnerJoined.class);
                addPartner(joined.getCoupleId(), joined.getPersonId());
            } else if (envelope.getPayload().is(CoupleDissolved.class)) {
                CoupleDissolved dissolved = envelope.getPayload().unpack(CoupleDissolved.class);
                couples.updateOne(eq("_id", dissolved.getCoupleId()), Updates.set("dissolved", true), new UpdateOptions().upsert(true));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed " + envelope.getEventType(), e);
        }
    }

    private void addPartner(String coupleId, String personId) {
        couples.updateOne(eq("_id", coupleId), Updates.addToSet("partners", personId), new UpdateOptions().upsert(true));
    }

    /** Every couple the person is or was a partner in, dissolved ones too. */
    public List<Couple> couplesOf(String personId) {
        List<Couple> found = new ArrayList<>();
        for (Document document : couples.find(eq("partners", personId))) {
            found.add(new Couple(document.getString("_id"), List.copyOf(document.getList("partners", String.class)),
                    Boolean.TRUE.equals(document.getBoolean("dissolved"))));
        }
        return found;
    }

    /**
     * Takes the person out of every couple, which stays for the partner, dissolved: the journal leaves a couple
     * before it asks for an erasure, but its {@code CoupleDissolved} travels on another topic and may arrive later.
     */
    public void erase(String personId) {
        couples.updateMany(eq("partners", personId), Updates.combine(Updates.pull("partners", personId), Updates.set("dissolved", true)));
    }

    public Optional<Couple> find(String coupleId) {
        Document document = couples.find(eq("_id", coupleId)).first();
        if (document == null) {
            return Optional.empty();
        }
        List<String> partners = document.getList("partners", String.class);
        return Optional.of(new Couple(coupleId, partners == null ? List.of() : List.copyOf(partners),
                Boolean.TRUE.equals(document.getBoolean("dissolved"))));
    }

    /**
     * The couple, if {@code personId} is or was one of its partners, shared or dissolved: for what stays each
     * person's own after a partner leaves, such as their safety-plan section. Strangers are refused.
     */
    public Couple requireMember(String coupleId, String personId) {
        return find(coupleId).filter(c -> c.partners().contains(personId))
                .orElseThrow(() -> new AccessDenied("not a partner in this couple"));
    }

    /**
     * The couple, if {@code personId} is one of its partners and it is still shared. Strangers and former
     * partners are refused alike.
     */
    public Couple requireSharedBy(String coupleId, String personId) {
        Couple couple = requireMember(coupleId, personId);
        if (couple.dissolved()) {
            throw new AccessDenied("this couple is no longer shared");
        }
        return couple;
    }
}
