package app.tandem.care.disclosure;

import app.tandem.platform.domain.InvalidInput;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

/**
 * The accounting of disclosures: one record per item given to a counselor, written before the item leaves and never
 * changed or deleted by Tandem (kept for at least the three years a patient may ask about). Counselors have no call
 * that writes here.
 */
@Component
public class Disclosures {

    public record Disclosure(String disclosureId, Instant disclosedAt, String patientPersonId, String counselorPersonId,
                             String organisation, String consentId, int consentVersion, String purpose, String kind, String itemId) {
    }

    public record Page(List<Disclosure> disclosures, String nextPageToken) {
    }

    private final MongoCollection<Document> disclosures;

    public Disclosures(MongoDatabase database) {
        this.disclosures = database.getCollection("disclosures");
        disclosures.createIndex(Indexes.descending("patient", "disclosedAt", "_id"));
    }

    public void record(Instant at, String patient, String counselor, String organisation, String consentId, int consentVersion,
                       String purpose, String kind, String itemId) {
        disclosures.insertOne(new Document("_id", UUID.randomUUID().toString())
                .append("disclosedAt", Date.from(at))
                .append("patient", patient)
                .append("counselor", counselor)
                .append("organisation", organisation)
                .append("consentId", consentId)
                .append("consentVersion", consentVersion)
                .append("purpose", purpose)
                .append("kind", kind)
                .append("itemId", itemId));
    }

    /** The patient's disclosures, newest first, a page at a time; {@code pageToken} is the last page's answer. */
    /** Every disclosure of the patient's items, newest first. */
    public Iterable<Document> everyDisclosureOf(String patient) {
        return disclosures.find(eq("patient", patient)).sort(Sorts.descending("disclosedAt", "_id"));
    }

    public void erase(String patient) {
        disclosures.deleteMany(eq("patient", patient));
    }

    public Page of(String patient, int pageSize, String pageToken) {
        Bson mine = eq("patient", patient);
        if (!pageToken.isEmpty()) {
            Document last = after(patient, pageToken);
            Date at = last.getDate("disclosedAt");
            mine = and(mine, or(lt("disclosedAt", at), and(eq("disclosedAt", at), lt("_id", last.getString("_id")))));
        }
        List<Disclosure> page = new ArrayList<>();
        for (Document d : disclosures.find(mine).sort(Sorts.descending("disclosedAt", "_id")).limit(pageSize)) {
            page.add(new Disclosure(d.getString("_id"), d.getDate("disclosedAt").toInstant(), d.getString("patient"),
                    d.getString("counselor"), d.getString("organisation"), d.getString("consentId"), d.getInteger("consentVersion"),
                    d.getString("purpose"), d.getString("kind"), d.getString("itemId")));
        }
        String next = page.size() == pageSize ? page.get(page.size() - 1).disclosureId() : "";
        return new Page(page, next);
    }

    private Document after(String patient, String pageToken) {
        Document last = null;
        try {
            UUID.fromString(pageToken);
            last = disclosures.find(and(eq("_id", pageToken), eq("patient", patient))).first();
        } catch (IllegalArgumentException notAnId) {
            // reported below
        }
        if (last == null) {
            throw InvalidInput.of("page_token", "is not a page token this service issued");
        }
        return last;
    }
}
