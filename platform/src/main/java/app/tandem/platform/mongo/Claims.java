package app.tandem.platform.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.not;

/**
 * Due work shared by the replicas of a service: each item is taken by one of them with a single
 * {@code findOneAndUpdate} that writes a lease on it, so two replicas never work on the same item at once. A
 * replica that dies holding an item leaves it to the others when the lease runs out, so nothing due is lost.
 * Work that outlives its lease may be done again by another replica; receivers tell repeats by the item's id.
 */
public final class Claims {

    static final String CLAIMED_UNTIL = "claimedUntil";
    static final String CLAIMED_BY = "claimedBy";

    /** An item held by this replica until {@code until}; {@link #mine()} guards the writes that finish it. */
    public record Claim(Document item, String token, Instant until) {

        /** Matches the item only while this claim is the latest on it. */
        public Bson mine() {
            return and(eq("_id", item.get("_id")), eq(CLAIMED_BY, token));
        }
    }

    private final MongoCollection<Document> items;
    private final String dueField;
    private final Duration lease;
    private final Clock clock;

    private Claims(MongoCollection<Document> items, String dueField, Duration lease, Clock clock) {
        this.items = items;
        this.dueField = dueField;
        this.lease = lease;
        this.clock = clock;
    }

    /** Items due when {@code dueField} is at or before now, taken with {@link #next}, the earliest due first. */
    public static Claims dueBy(MongoCollection<Document> items, String dueField, Duration lease, Clock clock) {
        return new Claims(items, dueField, lease, clock);
    }

    /**
     * Locks on pieces of work named by their id, taken with {@link #lock}. A lock left behind by a replica that
     * died is removed by MongoDB once it has run out.
     */
    public static Claims locks(MongoCollection<Document> locks, Duration lease, Clock clock) {
        locks.createIndex(Indexes.ascending(CLAIMED_UNTIL), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
        return new Claims(locks, null, lease, clock);
    }

    /** Takes the earliest item matching {@code filter} that is due and not held by anyone, if there is one. */
    public Optional<Claim> next(Bson filter) {
        if (dueField == null) {
            throw new IllegalStateException("locks are taken by id");
        }
        Instant now = clock.instant();
        Date at = Date.from(now);
        String token = UUID.randomUUID().toString();
        Instant until = now.plus(lease);
        Document claimed = items.findOneAndUpdate(
                and(filter, lte(dueField, at), not(gt(CLAIMED_UNTIL, at))),
                Updates.combine(Updates.set(CLAIMED_UNTIL, Date.from(until)), Updates.set(CLAIMED_BY, token)),
                new FindOneAndUpdateOptions().sort(Sorts.ascending(dueField)).returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(claimed).map(item -> new Claim(item, token, until));
    }

    /** Takes the earliest due item not held by anyone, if there is one. */
    public Optional<Claim> next() {
        return next(new Document());
    }

    /**
     * Takes the item {@code id} whether or not it exists yet (a lock on a piece of work that is not one document),
     * unless another replica holds it.
     */
    public Optional<Claim> lock(Object id) {
        Instant now = clock.instant();
        String token = UUID.randomUUID().toString();
        Instant until = now.plus(lease);
        try {
            Document claimed = items.findOneAndUpdate(and(eq("_id", id), not(gt(CLAIMED_UNTIL, Date.from(now)))),
                    Updates.combine(Updates.set(CLAIMED_UNTIL, Date.from(until)), Updates.set(CLAIMED_BY, token)),
                    new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
            return Optional.of(new Claim(claimed, token, until));
        } catch (MongoCommandException | MongoWriteException e) {
            if (ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY) {
                return Optional.empty(); // held: the filter missed it and the upsert met its _id
            }
            throw e;
        }
    }

    /** Holds {@code claim} until {@code until}; false when it is no longer the latest claim on its item. */
    public boolean extend(Claim claim, Instant until) {
        return items.updateOne(claim.mine(), Updates.set(CLAIMED_UNTIL, Date.from(until))).getModifiedCount() == 1;
    }

    /** Undoes a claim, for a write that finishes an item by putting it back for later. */
    public static Bson release() {
        return Updates.combine(Updates.unset(CLAIMED_UNTIL), Updates.unset(CLAIMED_BY));
    }
}
