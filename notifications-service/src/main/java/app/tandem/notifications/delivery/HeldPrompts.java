package app.tandem.notifications.delivery;

import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.platform.mongo.Claims;
import app.tandem.platform.privacy.StoredFields;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;

/**
 * Prompts held back by quiet hours or the daily cap until their digest is due. Keyed by notification id; a
 * digest is the prompts of one person held until one moment, and one replica at a time folds it (a lock per
 * digest in {@code digest_locks}).
 */
@Component
public class HeldPrompts {

    public record Held(Inbox.Draft draft, Instant until) {
    }

    /** A digest due now, with the prompts it folds, held by this replica until its lock runs out. */
    public record Digest(String recipient, Instant until, List<Held> prompts, Claims.Claim lock) {
    }

    /** Folding a digest takes moments; a replica that dies holding one leaves it to the others after this. */
    private static final Duration LOCK = Duration.ofSeconds(30);

    private final MongoCollection<Document> held;
    private final MongoCollection<Document> locks;
    private final Claims digests;

    public HeldPrompts(MongoDatabase database, Clock clock) {
        this.held = database.getCollection("held_prompts");
        this.held.createIndex(Indexes.ascending("until"));
        this.held.createIndex(Indexes.ascending("recipient", "until"));
        this.locks = database.getCollection("digest_locks");
        this.digests = Claims.locks(locks, LOCK, clock);
    }

    /** The prompts held for the recipient's next digest. */
    public Iterable<Document> heldFor(String recipient) {
        return held.find(eq("recipient", recipient));
    }

    /** Removes the prompts held for the recipient and their digests' locks (keyed "recipient/…"). */
    public void erase(String recipient) {
        held.deleteMany(eq("recipient", recipient));
        locks.deleteMany(StoredFields.idStartsWith(recipient + "/"));
    }

    public boolean contains(String notificationId) {
        return held.find(eq("_id", notificationId)).first() != null;
    }

    public void hold(Inbox.Draft draft, Instant until) {
        held.replaceOne(eq("_id", draft.notificationId()), new Document("_id", draft.notificationId())
                .append("cause", draft.causeEventId())
                .append("recipient", draft.recipientPersonId())
                .append("kind", draft.kind().name())
                .append("coupleId", draft.coupleId())
                .append("title", draft.title())
                .append("body", draft.body())
                .append("checkInId", draft.checkInId())
                .append("until", Date.from(until)), new ReplaceOptions().upsert(true));
    }

    /**
     * The digests due at {@code now}, oldest first, each locked by this replica; one locked by another replica is
     * left to it. A digest's prompts are read after its lock is taken, so a digest folded meanwhile is empty.
     */
    public List<Digest> due(Instant now, int limit) {
        Set<List<Object>> seen = new LinkedHashSet<>();
        for (Document d : held.find(lte("until", Date.from(now))).sort(Sorts.ascending("until")).limit(limit)) {
            seen.add(List.of(d.getString("recipient"), d.getDate("until")));
        }
        List<Digest> result = new ArrayList<>();
        for (List<Object> key : seen) {
            String recipient = (String) key.get(0);
            Date until = (Date) key.get(1);
            digests.lock(recipient + "/" + until.getTime()).ifPresent(lock -> {
                List<Held> prompts = new ArrayList<>();
                for (Document d : held.find(and(eq("recipient", recipient), eq("until", until)))) {
                    prompts.add(new Held(new Inbox.Draft(d.getString("cause"), recipient, NotificationKind.valueOf(d.getString("kind")),
                            d.getString("coupleId"), d.getString("title"), d.getString("body"), d.getString("checkInId")),
                            until.toInstant()));
                }
                result.add(new Digest(recipient, until.toInstant(), prompts, lock));
            });
        }
        return result;
    }

    /** The digest's prompts are folded: they and its lock go. */
    public void released(Digest digest) {
        for (Held prompt : digest.prompts()) {
            held.deleteOne(eq("_id", prompt.draft().notificationId()));
        }
        locks.deleteOne(digest.lock().mine());
    }
}
