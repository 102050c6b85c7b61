package app.tandem.devservers;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queries on an index's leading fields, answered by walking the index, find exactly what a scan of every document
 * finds, in the same order: the same documents are stored in a collection with the indexes and in one without.
 */
class IndexScanTest {

    private static EmbeddedMongo mongo;
    private static MongoClient client;
    private static MongoCollection<Document> indexed;
    private static MongoCollection<Document> scanned;

    @BeforeAll
    static void store() {
        mongo = EmbeddedMongo.inMemory();
        client = MongoClients.create(mongo.connectionString());
        MongoDatabase database = client.getDatabase("index-scan");
        indexed = database.getCollection("indexed");
        scanned = database.getCollection("scanned");
        indexed.createIndex(Indexes.ascending("recipient", "sequence"), new IndexOptions().unique(true));
        Random random = new Random(7);
        List<Document> documents = new ArrayList<>();
        int id = 0;
        for (int r = 0; r < 5; r++) {
            for (int sequence = 1; sequence <= 200; sequence++) {
                // numbers of every type, ordered by value; a few sequence values of other types
                Object value = switch (sequence % 3) {
                    case 0 -> sequence;
                    case 1 -> (long) sequence;
                    default -> sequence + 0.0;
                };
                documents.add(new Document("_id", id++).append("recipient", "r" + r).append("sequence", value)
                        .append("read", random.nextBoolean()).append("at", random.nextInt(1000)));
            }
            documents.add(new Document("_id", id++).append("recipient", "r" + r).append("sequence", "a text"));
            documents.add(new Document("_id", id++).append("recipient", "r" + r).append("read", true));
        }
        java.util.Collections.shuffle(documents, random);
        indexed.insertMany(documents);
        scanned.insertMany(documents);
    }

    @AfterAll
    static void stop() {
        client.close();
        mongo.close();
    }

    private static void sameAsAScan(Bson filter, Bson sort, int skip, int limit) {
        assertThat(ids(indexed, filter, sort, skip, limit)).as(filter + " sorted by " + sort)
                .isEqualTo(ids(scanned, filter, sort, skip, limit))
                .isNotEmpty();
    }

    private static List<Object> ids(MongoCollection<Document> collection, Bson filter, Bson sort, int skip, int limit) {
        List<Object> ids = new ArrayList<>();
        collection.find(filter).sort(sort).skip(skip).limit(limit).forEach(d -> ids.add(d.get("_id")));
        return ids;
    }

    @Test
    void aRangeAfterAnEqualityInEitherDirection() {
        Bson range = and(eq("recipient", "r1"), gt("sequence", 50), lte("sequence", 120));
        sameAsAScan(range, Sorts.ascending("sequence"), 0, 10);
        sameAsAScan(range, Sorts.descending("sequence"), 0, 10);
        sameAsAScan(range, Sorts.orderBy(Sorts.ascending("recipient"), Sorts.descending("sequence")), 3, 0);
        sameAsAScan(and(eq("recipient", "r2"), lt("sequence", 30)), Sorts.descending("sequence"), 0, 0);
        sameAsAScan(and(eq("recipient", "r3"), gte("sequence", 190)), Sorts.ascending("sequence"), 0, 0);
        assertThat(ids(indexed, and(eq("recipient", "r3"), gte("sequence", 190)), null, 0, 0))
                .as("a number's range holds no text").hasSize(11);
    }

    @Test
    void anEqualityOnTheLeadingFieldAlone() {
        sameAsAScan(eq("recipient", "r4"), Sorts.ascending("sequence"), 5, 7);
        sameAsAScan(eq("recipient", "r4"), Sorts.descending("sequence"), 0, 3);
        sameAsAScan(and(eq("recipient", "r0"), eq("sequence", 42L)), null, 0, 0);
    }

    @Test
    void otherConditionsAndSortsStillApply() {
        sameAsAScan(and(eq("recipient", "r1"), gt("sequence", 10), eq("read", false)), Sorts.ascending("sequence"), 0, 5);
        sameAsAScan(and(eq("recipient", "r1"), gt("sequence", 10)), Sorts.ascending("at"), 0, 20);
        sameAsAScan(and(eq("recipient", "r1"), or(eq("read", true), lt("at", 100))), Sorts.descending("sequence"), 0, 15);
        sameAsAScan(and(in("recipient", List.of("r1", "r2")), gt("sequence", 150)), Sorts.ascending("_id"), 0, 0);
    }

    @Test
    void aRangeOfIds() {
        sameAsAScan(gt("_id", 100), Sorts.ascending("_id"), 0, 5);
        sameAsAScan(lt("_id", 50), Sorts.descending("_id"), 0, 3);
        sameAsAScan(and(gte("_id", 300), lt("_id", 320)), null, 0, 0);
        sameAsAScan(new Document("_id", new Document("$gte", 300).append("$lt", 320)), Sorts.ascending("_id"), 0, 0);
        sameAsAScan(lt("recipient", "r2"), Sorts.ascending("recipient", "sequence"), 0, 0);
        sameAsAScan(lt("recipient", "r2"), Sorts.descending("recipient", "sequence"), 3, 30);
        sameAsAScan(and(gte("_id", 300), lt("_id", 320), eq("recipient", "r1")), Sorts.descending("sequence"), 0, 0);
    }

    @Test
    void theScanUsesTheLeadingFieldsTheQueryFixesAndFollowsTheSortWhenItCan() {
        List<String> fields = List.of("recipient", "sequence");
        de.bwaldvogel.mongo.bson.Document query = new de.bwaldvogel.mongo.bson.Document("$and", List.of(
                new de.bwaldvogel.mongo.bson.Document("recipient", "r1"),
                new de.bwaldvogel.mongo.bson.Document("sequence", new de.bwaldvogel.mongo.bson.Document("$gt", 5))));
        IndexScan backwards = IndexScan.plan(query, new de.bwaldvogel.mongo.bson.Document("sequence", -1), fields).orElseThrow();
        assertThat(backwards.fieldsUsed()).isEqualTo(2);
        assertThat(backwards.ordered()).isTrue();
        assertThat(backwards.reverse()).isTrue();
        IndexScan byTime = IndexScan.plan(query, new de.bwaldvogel.mongo.bson.Document("at", 1), fields).orElseThrow();
        assertThat(byTime.ordered()).as("sorted by a field the index does not hold: every candidate is sorted").isFalse();
        IndexScan bothBounds = IndexScan.plan(new de.bwaldvogel.mongo.bson.Document("$and", List.of(
                new de.bwaldvogel.mongo.bson.Document("_id", new de.bwaldvogel.mongo.bson.Document("$gte", 300)),
                new de.bwaldvogel.mongo.bson.Document("_id", new de.bwaldvogel.mongo.bson.Document("$gt", 290)),
                new de.bwaldvogel.mongo.bson.Document("_id", new de.bwaldvogel.mongo.bson.Document("$lt", 320)))), null,
                List.of("_id")).orElseThrow();
        assertThat(bothBounds.lower()).as("the clauses on one field merged, the tighter bound kept").isEqualTo(300);
        assertThat(bothBounds.upper()).isEqualTo(320);
        assertThat(IndexScan.plan(new de.bwaldvogel.mongo.bson.Document("sequence", 5), null, fields))
                .as("no condition on the leading field").isEmpty();
        assertThat(IndexScan.plan(new de.bwaldvogel.mongo.bson.Document("recipient", null), null, fields))
                .as("null matches a missing field, which a key does not show").isEmpty();
    }
}
