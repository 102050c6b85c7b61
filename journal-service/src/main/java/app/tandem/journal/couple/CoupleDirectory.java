package app.tandem.journal.couple;

import app.tandem.journal.couple.CoupleEvents.CoupleCreated;
import app.tandem.journal.couple.CoupleEvents.PartnerJoined;
import app.tandem.journal.couple.CoupleEvents.PartnerLeft;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.or;

/**
 * Who is in which couple, and which couple an invite hash opens. Updated with the command itself
 * (a subscribing processor), so a partner who just joined is recognised by the very next request.
 * Every write is an idempotent upsert, so re-applying an event changes nothing. It is written after the events
 * are stored, without a transaction, so access decisions go through {@link CoupleMembers}, which follows the
 * couple's stored events; this view finds couples by invite and by person.
 */
@Component
@ProcessingGroup("couple-directory")
public class CoupleDirectory {

    /**
     * {@code partnerPersonIds} are the current partners; a partner who left is only in {@code formerPartnerPersonIds}
     * and may still read their own entries.
     */
    public record CoupleEntry(String coupleId, String founderPersonId, List<String> partnerPersonIds,
                              List<String> formerPartnerPersonIds, boolean shared, Instant createdAt, Instant inviteExpiresAt) {

        public boolean isPartner(String personId) {
            return partnerPersonIds.contains(personId);
        }

        /** Current and former partners: everyone who may read their own entries in this journal. */
        public boolean isOrWasPartner(String personId) {
            return partnerPersonIds.contains(personId) || formerPartnerPersonIds.contains(personId);
        }
    }

    private final MongoCollection<Document> couples;
    private final MongoCollection<Document> invites;
    private final MongoCollection<Document> memberships;

    public CoupleDirectory(MongoDatabase database) {
        this.couples = database.getCollection("couple_directory");
        this.invites = database.getCollection("couple_invites");
        this.memberships = database.getCollection("couple_memberships");
        // the couples a person is or was in, for their export and erasure
        couples.createIndex(Indexes.ascending("partners"));
        couples.createIndex(Indexes.ascending("formerPartners"));
        couples.createIndex(Indexes.ascending("founder"));
    }

    @EventHandler
    void on(CoupleCreated event) {
        couples.replaceOne(eq("_id", event.coupleId()), new Document("_id", event.coupleId())
                .append("founder", event.founderPersonId())
                .append("partners", List.of(event.founderPersonId()))
                .append("formerPartners", List.of())
                .append("shared", true)
                .append("createdAt", Date.from(event.createdAt()))
                .append("inviteExpiresAt", Date.from(event.inviteExpiresAt())), new ReplaceOptions().upsert(true));
        invites.replaceOne(eq("_id", event.inviteCodeHash()), new Document("_id", event.inviteCodeHash())
                .append("coupleId", event.coupleId()), new ReplaceOptions().upsert(true));
        memberships.replaceOne(eq("_id", event.founderPersonId()), new Document("_id", event.founderPersonId())
                .append("coupleId", event.coupleId()), new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(PartnerJoined event) {
        couples.updateOne(eq("_id", event.coupleId()), Updates.addToSet("partners", event.personId()));
        memberships.replaceOne(eq("_id", event.personId()), new Document("_id", event.personId())
                .append("coupleId", event.coupleId()), new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(PartnerLeft event) {
        couples.updateOne(eq("_id", event.coupleId()), Updates.combine(Updates.pull("partners", event.personId()),
                Updates.addToSet("formerPartners", event.personId()), Updates.set("shared", false)));
        // both are free to start or join another couple
        for (String person : Arrays.asList(event.personId(), event.remainingPersonId())) {
            if (person != null) {
                memberships.deleteOne(and(eq("_id", person), eq("coupleId", event.coupleId())));
            }
        }
    }

    @ResetHandler
    void reset() {
        couples.deleteMany(new Document());
        invites.deleteMany(new Document());
        memberships.deleteMany(new Document());
    }

    /** Every couple the person is or was a partner in. */
    public List<CoupleEntry> couplesOf(String personId) {
        List<CoupleEntry> found = new ArrayList<>();
        for (Document document : couples.find(or(eq("partners", personId), eq("formerPartners", personId)))) {
            found.add(entryOf(document));
        }
        return found;
    }

    /**
     * Takes the person out of every couple they were in and ends their membership; the couple itself stays, with the
     * partner and their entries.
     */
    public void erase(String personId) {
        memberships.deleteOne(eq("_id", personId));
        couples.updateMany(or(eq("partners", personId), eq("formerPartners", personId)),
                Updates.combine(Updates.pull("partners", personId), Updates.pull("formerPartners", personId)));
        couples.updateMany(eq("founder", personId), Updates.set("founder", ""));
    }

    public Optional<CoupleEntry> find(String coupleId) {
        return Optional.ofNullable(couples.find(eq("_id", coupleId)).first()).map(CoupleDirectory::entryOf);
    }

    private static CoupleEntry entryOf(Document document) {
        return new CoupleEntry(document.getString("_id"), document.getString("founder"),
                document.getList("partners", String.class), document.getList("formerPartners", String.class, List.of()),
                document.getBoolean("shared", true), document.getDate("createdAt").toInstant(),
                document.getDate("inviteExpiresAt").toInstant());
    }

    public Optional<String> coupleForInvite(String inviteCodeHash) {
        return Optional.ofNullable(invites.find(eq("_id", inviteCodeHash)).first()).map(d -> d.getString("coupleId"));
    }

    public Optional<String> activeCoupleOf(String personId) {
        return Optional.ofNullable(memberships.find(eq("_id", personId)).first()).map(d -> d.getString("coupleId"));
    }
}
