package app.tandem.care.feed;

import app.tandem.platform.feed.NumberedFeed;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Each counselor's feed of items their clients' consents disclose, numbered per counselor so a stream resumes from the
 * last number it sent ({@link NumberedFeed}). An entry holds references and facts, never a note: what is sent is
 * decided, and entries read, when it is disclosed.
 */
@Component
public class CareFeed {

    private final NumberedFeed feed;

    public CareFeed(MongoDatabase database) {
        this.feed = new NumberedFeed(database.getCollection("care_feed"), database.getCollection("care_feed_sequences"),
                "counselor", "sequence", "counselor_sequence");
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
