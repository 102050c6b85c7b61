package app.tandem.care.consent;

import app.tandem.platform.crypto.InviteCodes;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.or;

/**
 * Codes a counselor gives a client. A code names the counselor and their organisation as the counselor's token did,
 * so who a consent is to never comes from what a partner typed. Only the code's keyed hash is stored; the first
 * partner who names it keeps it, so a code passed on cannot open a second client's consent.
 */
@Component
public class ClientInvitations {

    public static final Duration LIFETIME = Duration.ofDays(7);

    public record Invitation(String counselorPersonId, String organisation, Instant expiresAt) {
    }

    private final MongoCollection<Document> invitations;
    private final InviteCodes codes;

    public ClientInvitations(MongoDatabase database, InviteCodes codes) {
        this.invitations = database.getCollection("client_invitations");
        this.codes = codes;
        // a person's invitations, as counselor or client, for their export and erasure
        invitations.createIndex(Indexes.ascending("counselor"));
        invitations.createIndex(Indexes.ascending("patient"));
    }

    /** The invitations the counselor created and those the person took as a client; the code is never stored. */
    public Iterable<Document> of(String personId) {
        return invitations.find(or(eq("counselor", personId), eq("patient", personId)));
    }

    /** Removes the counselor's invitations, and the person's name from those they took as a client. */
    public void erase(String personId) {
        invitations.deleteMany(eq("counselor", personId));
        invitations.updateMany(eq("patient", personId), Updates.unset("patient"));
    }

    public record Created(String code, Instant expiresAt) {
    }

    /** The invitation {@code invitationId}, stored on first asking; a retry answers the same code and expiry. */
    public Created create(String invitationId, String counselor, String organisation, Instant now) {
        String code = codes.codeFor(invitationId);
        Instant expiresAt = now.plus(LIFETIME);
        try {
            invitations.insertOne(new Document("_id", codes.hash(code))
                    .append("invitation", invitationId)
                    .append("counselor", counselor)
                    .append("organisation", organisation)
                    .append("expiresAt", Date.from(expiresAt)));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // a retry finds its own invitation; two invitations whose codes collide must not share one
            Document stored = invitations.find(eq("_id", codes.hash(code))).first();
            if (stored == null || !invitationId.equals(stored.getString("invitation"))) {
                throw new IllegalStateException("an invitation code collided with another's; ask again with a new key");
            }
            expiresAt = stored.getDate("expiresAt").toInstant();
        }
        return new Created(code, expiresAt);
    }

    /**
     * The invitation, taken for {@code patient} unless another partner took it first; empty when unknown, expired or the
     * patient's own (a counselor cannot be their own client), and then nothing is written.
     */
    public Optional<Invitation> take(String code, String patient, Instant now) {
        Document taken = invitations.findOneAndUpdate(
                and(eq("_id", codes.hash(code)), gt("expiresAt", Date.from(now)), ne("counselor", patient),
                        or(eq("patient", null), eq("patient", patient))),
                Updates.set("patient", patient), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(taken).map(d -> new Invitation(d.getString("counselor"), d.getString("organisation"),
                d.getDate("expiresAt").toInstant()));
    }
}
