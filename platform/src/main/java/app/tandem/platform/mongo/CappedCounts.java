package app.tandem.platform.mongo;

import app.tandem.platform.privacy.StoredFields;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import org.bson.Document;

import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

/**
 * Counts that stop at a limit, one document each, taken atomically: the update's filter misses a full count and its
 * upsert then meets the count's id, so two replicas counting at once never pass the limit together. MongoDB removes a
 * count once its {@code expiresAt} has passed.
 */
public final class CappedCounts {

    private static final String COUNT = "count";
    private static final String EXPIRES_AT = "expiresAt";

    private final MongoCollection<Document> counts;

    public CappedCounts(MongoCollection<Document> counts) {
        this.counts = counts;
        counts.createIndex(Indexes.ascending(EXPIRES_AT), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
    }

    /** Adds one to the count {@code id} unless it reached {@code limit}; a new count lives until {@code expiresAt}. */
    public boolean addOne(String id, int limit, Instant expiresAt) {
        try {
            counts.findOneAndUpdate(and(eq("_id", id), lt(COUNT, limit)),
                    Updates.combine(Updates.inc(COUNT, 1), Updates.setOnInsert(EXPIRES_AT, Date.from(expiresAt))),
                    new FindOneAndUpdateOptions().upsert(true));
            return true;
        } catch (MongoCommandException | MongoWriteException e) {
            if (ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** Removes every count whose id starts with {@code prefix}, such as one person's. */
    public void erase(String prefix) {
        counts.deleteMany(StoredFields.idStartsWith(prefix));
    }

    /** Gives back one that {@link #addOne} took. */
    public void removeOne(String id) {
        counts.updateOne(eq("_id", id), Updates.inc(COUNT, -1));
    }
}
