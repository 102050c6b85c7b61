package app.tandem.care.feed;

import app.tandem.platform.feed.NumberedFeed;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import static com.mongodb.client.model.Filters.eq;

/**
 * Each counselor's feed of items their clients' consents disclose, numbered per counselor so a stream resumes from the
 * last number it sent ({@link NumberedFeed}). An entry holds references and facts, never a note: what is sent is
 * decided, and entries read, when it is disclosed.
 */
@Component
public class CareFeed {

    private final NumberedFeed feed;
    private final MongoCollection<Document> items;
    private final MongoCollection<Document> sequences;

    public CareFeed(MongoDatabase database) {
        this.items = database.getCollection("care_feed");
        this.sequences = database.getCollection("care_feed_sequences");
        this.feed = new NumberedFeed(items, sequences, "counselor", "sequence", "counselor_sequence");
        items.createIndex(Indexes.ascending("patient"));
    }

    /**
     * Removes what the feed holds of the person: their items in their counselors' feeds, and, for a counselor, their
     * own feed with its numbering (the feed's unique index starts with the counselor).
     */
    public void erase(String personId) {
        items.deleteMany(eq("patient", personId));
        items.deleteMany(eq("counselor", personId));
        sequences.deleteOne(eq("_id", personId));
    }

    public NumberedFeed numbered() {
        return feed;
    }

    /** @return whether it was added now, rather than by an earlier delivery of the same event */
    public boolean append(String counselor, String eventId, String consentId, int version, CareItem item) {
        return feed.append(counselor, eventId + "/" + consentId, new Document("consentId", consentId)
                .append("version", version)
                .append("kind", item.kind().name())
                .append("itemId", item.itemId())
                .append("patient", item.patientPersonId())
                .append("occurredAt", Date.from(item.occurredAt()))
                .append("marked", item.markedForCounselor()));
    }

    public static String consentOf(Document entry) {
        return entry.getString("consentId");
    }

    /** The version of the consent in force when the item was added. */
    public static int versionOf(Document entry) {
        return entry.getInteger("version", 0);
    }

    public static CareItem itemOf(Document entry) {
        Instant occurredAt = entry.getDate("occurredAt").toInstant();
        return new CareItem(CareItem.Kind.valueOf(entry.getString("kind")), entry.getString("itemId"), entry.getString("patient"),
                occurredAt, entry.getBoolean("marked", false));
    }
}
