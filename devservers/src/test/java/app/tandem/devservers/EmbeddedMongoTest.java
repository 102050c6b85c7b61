package app.tandem.devservers;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.bson.conversions.Bson;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Mongo-wire server's BSON storage through the real driver: every BSON type comes back as it went in, from
 * memory and from the file after a restart; unique indexes hold; the first and last documents by _id are found
 * without a sort; concurrent increments of one counter answer every number once; a file of the stock backend is
 * converted.
 */
class EmbeddedMongoTest {

    @TempDir
    Path dir;

    private static Document everyType(Object id) {
        return new Document("_id", id)
                .append("text", "a note, ünïcödé")
                .append("int", 42)
                .append("long", 1L << 40)
                .append("double", 2.5)
                .append("decimal", new Decimal128(new BigDecimal("12.345")))
                .append("flag", true)
                .append("none", null)
                .append("date", new Date(1_700_000_000_000L))
                .append("objectId", new ObjectId("65f0c0ffee0000000000abcd"))
                .append("bytes", new Binary(new byte[] {1, 2, 3, (byte) 0xff}))
                .append("nested", new Document("list", List.of(1, "two", new Document("three", 3L))));
    }

    @Test
    void keepsEveryBsonTypeAndUniqueKeysInMemory() {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            withCollection(mongo, this::writeAndCheck);
        }
    }

    @Test
    void keepsEveryBsonTypeAndUniqueKeysAcrossARestartOnDisk() {
        Path file = dir.resolve("store.mv");
        try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(file, "127.0.0.1", 0)) {
            withCollection(mongo, this::writeAndCheck);
        }
        try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(file, "127.0.0.1", 0)) {
            withCollection(mongo, this::check);
        }
    }

    @Test
    void refusesAFileOfTheStockBackendInsteadOfMisreadingIt() {
        Path file = dir.resolve("store.mv");
        H2Backend stock = new H2Backend(new MVStore.Builder().fileName(file.toString()).open());
        MongoServer server = new MongoServer(stock);
        server.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            writeAndCheck(client.getDatabase("tandem").getCollection("entries"));
        } finally {
            server.shutdownNow();
            stock.close();
        }
        assertThatThrownBy(() -> EmbeddedMongo.onDisk(file, "127.0.0.1", 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stock H2 backend");
    }

    /**
     * A collection of large documents gets leaves of a few documents each, as H2 sizes its pages, however small
     * the documents of the other collections are: every commit rewrites the leaves it touched.
     */
    @Test
    void largeDocumentsAreSplitIntoLeavesOfTheirOwnSize() {
        MVStore store = new MVStore.Builder().fileName(dir.resolve("sizes.mv").toString()).open();
        BsonStorageBackend backend = new BsonStorageBackend(store);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            MongoCollection<Document> small = client.getDatabase("tandem").getCollection("small");
            MongoCollection<Document> large = client.getDatabase("tandem").getCollection("large");
            byte[] page = new byte[200_000];
            for (int i = 0; i < 24; i++) {
                large.insertOne(new Document("_id", i).append("events", new Binary(page)));
                store.commit();
                // between two large documents many small ones are written, as events are between two pages
                for (int j = 0; j < 100; j++) {
                    small.insertOne(new Document("_id", i * 100 + j).append("n", j));
                    store.commit();
                }
            }
            MVMap<Object, Object> largeMap = store.openMap("databases.tandem.large");
            assertThat(largeMap.getRootPage().isLeaf()).as("24 documents of 200 KB in one leaf").isFalse();
            assertThat(large.countDocuments()).isEqualTo(24);
        } finally {
            server.shutdownNow();
            backend.close();
        }
    }

    /**
     * The stock backend changes a stored document in place and then puts it back: a document read from the file
     * and changed afterwards is written in its new state, not as it was read, with the journal and without it.
     */
    @Test
    void documentsChangedAfterTheyWereReadFromTheFileAreStoredInTheirNewState() {
        Path file = dir.resolve("changed.mv");
        try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(file, "127.0.0.1", 0)) {
            withCollection(mongo, entries -> {
                for (int i = 0; i < 200; i++) {
                    entries.insertOne(new Document("_id", i).append("n", 0));
                }
            });
        }
        try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(file, "127.0.0.1", 0)) {
            withCollection(mongo, this::readAllThenChangeEveryTenth);
        }
        try (EmbeddedMongo mongo = EmbeddedMongo.onDisk(file, "127.0.0.1", 0)) {
            withCollection(mongo, EmbeddedMongoTest::everyTenthChanged);
        }
    }

    @Test
    void withoutAJournalChangedDocumentsAreCommittedInTheirNewState() {
        Path file = dir.resolve("unjournaled.mv");
        withUnjournaledCollection(file, entries -> {
            for (int i = 0; i < 200; i++) {
                entries.insertOne(new Document("_id", i).append("n", 0));
            }
        });
        withUnjournaledCollection(file, this::readAllThenChangeEveryTenth);
        withUnjournaledCollection(file, EmbeddedMongoTest::everyTenthChanged);
    }

    private void readAllThenChangeEveryTenth(MongoCollection<Document> entries) {
        assertThat(entries.find().into(new ArrayList<>())).hasSize(200);
        for (int i = 0; i < 200; i += 10) {
            entries.updateOne(Filters.eq("_id", i), Updates.set("n", i));
        }
        // its leaf is written again with the changed ones
        entries.insertOne(new Document("_id", 1000).append("n", 1000));
    }

    private static void everyTenthChanged(MongoCollection<Document> entries) {
        for (Document entry : entries.find()) {
            int id = entry.getInteger("_id");
            assertThat(entry.getInteger("n")).as("document %s", id).isEqualTo(id % 10 == 0 ? id : 0);
        }
    }

    private static void withUnjournaledCollection(Path file, Consumer<MongoCollection<Document>> work) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).open();
        BsonStorageBackend backend = new BsonStorageBackend(store);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            work.accept(client.getDatabase("tandem").getCollection("entries"));
            store.commit();
        } finally {
            server.shutdownNow();
            backend.close();
        }
    }

    /** A collection's size is that of the BSON it holds, counted as documents are inserted, changed and removed. */
    @Test
    void aCollectionsSizeIsThatOfTheDocumentsItHolds() {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            var database = client.getDatabase("tandem");
            MongoCollection<Document> entries = database.getCollection("entries");
            for (int i = 0; i < 20; i++) {
                entries.insertOne(new Document("_id", i).append("note", "x".repeat(i)));
            }
            entries.updateOne(Filters.eq("_id", 3), Updates.set("note", "a longer note than before"));
            entries.replaceOne(Filters.eq("_id", 4), new Document("_id", 4));
            entries.deleteOne(Filters.eq("_id", 5));
            entries.updateOne(Filters.eq("_id", 99), Updates.set("note", "upserted"), new UpdateOptions().upsert(true));

            long stored = 0;
            for (Document entry : entries.find()) {
                stored += new RawBsonDocument(entry, new DocumentCodec()).getByteBuffer().remaining();
            }
            Document stats = database.runCommand(new Document("collStats", "entries"));
            assertThat(stats.get("count", Number.class).longValue()).isEqualTo(20);
            assertThat(stats.get("size", Number.class).longValue()).isEqualTo(stored);
        }
    }

    @Test
    void concurrentIncrementsOfOneCounterEachAnswerANumberOfTheirOwn() throws Exception {
        int threads = 8;
        int each = 200;
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            withCollection(mongo, counters -> {
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                try {
                    List<Future<List<Long>>> answers = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        answers.add(pool.submit(() -> {
                            List<Long> numbers = new ArrayList<>();
                            for (int i = 0; i < each; i++) {
                                numbers.add(counters.findOneAndUpdate(Filters.eq("_id", "counter"), Updates.inc("last", 1L),
                                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)).getLong("last"));
                            }
                            return numbers;
                        }));
                    }
                    List<Long> all = new ArrayList<>();
                    for (Future<List<Long>> answer : answers) {
                        all.addAll(answer.get());
                    }
                    assertThat(all).as("no number twice, none left out").containsExactlyInAnyOrderElementsOf(
                            LongStream.rangeClosed(1, (long) threads * each).boxed().toList());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    pool.shutdown();
                }
            });
        }
    }

    private void writeAndCheck(MongoCollection<Document> collection) {
        collection.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true));
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Object id = switch (i % 3) {
                case 0 -> (long) i;
                case 1 -> "id-" + i;
                default -> new ObjectId();
            };
            documents.add(everyType(id).append("key", "k-" + i).append("n", i));
        }
        collection.insertMany(documents);
        collection.updateOne(Filters.eq("key", "k-7"), Updates.inc("n", 1000));
        collection.deleteOne(Filters.eq("key", "k-8"));
        check(collection);
    }

    private void check(MongoCollection<Document> collection) {
        assertThat(collection.countDocuments()).isEqualTo(299);
        Document first = collection.find(Filters.eq("_id", 0L)).first();
        assertThat(first).isEqualTo(everyType(0L).append("key", "k-0").append("n", 0));
        assertThat(collection.find(Filters.eq("_id", "id-4")).first()).isNotNull();
        assertThat(collection.find(Filters.eq("key", "k-7")).first().getInteger("n")).isEqualTo(1007);
        assertThat(collection.find(Filters.eq("key", "k-8")).first()).isNull();
        List<Document> found = collection.find(Filters.in("key", "k-1", "k-2", "k-299", "absent")).into(new ArrayList<>());
        assertThat(found).extracting(d -> d.getString("key")).containsExactlyInAnyOrder("k-1", "k-2", "k-299");
        assertThatThrownBy(() -> collection.insertOne(new Document("_id", "duplicate").append("key", "k-1")))
                .isInstanceOfSatisfying(MongoWriteException.class,
                        e -> assertThat(ErrorCategory.fromErrorCode(e.getCode())).isEqualTo(ErrorCategory.DUPLICATE_KEY));
        assertThatThrownBy(() -> collection.insertOne(new Document("_id", 3L).append("key", "k-new")))
                .isInstanceOf(MongoWriteException.class);
        // numbers are one key whatever their type, as in MongoDB
        assertThatThrownBy(() -> collection.insertOne(new Document("_id", 3).append("key", "k-new")))
                .isInstanceOf(MongoWriteException.class);
        assertThat(collection.find(Filters.eq("_id", 3.0)).first().getString("key")).isEqualTo("k-3");
        assertThat(collection.find(Filters.in("_id", 0, 3L, "id-1", "absent")).into(new ArrayList<>())).hasSize(3);
        checkOrderById(collection);
        // the key freed by the delete can be taken again
        collection.insertOne(new Document("_id", "again-" + System.nanoTime()).append("key", "k-8"));
        collection.deleteOne(Filters.eq("key", "k-8"));
    }

    /** The first and last documents by _id come from the map's order: the same answer as a sort of every match. */
    private static void checkOrderById(MongoCollection<Document> collection) {
        Bson everything = Filters.exists("_id"); // a filter, so the server sorts every match in memory instead
        for (Bson order : List.of(Sorts.ascending("_id"), Sorts.descending("_id"))) {
            for (int skip : new int[] {0, 1, 150}) {
                for (int limit : new int[] {1, 3, 500}) {
                    List<Object> ordered = ids(collection.find().sort(order).skip(skip).limit(limit));
                    assertThat(ordered).isEqualTo(ids(collection.find(everything).sort(order).skip(skip).limit(limit)));
                    assertThat(ordered).hasSize(Math.max(0, Math.min(limit, 299 - skip)));
                }
            }
        }
        assertThat(collection.find().sort(Sorts.ascending("_id")).limit(3).map(d -> d.get("_id")).into(new ArrayList<>()))
                .containsExactly(0L, 3L, 6L); // numbers sort before strings and object ids, as in MongoDB
        Document last = collection.find().sort(Sorts.descending("_id")).limit(1).projection(Projections.include("n")).first();
        assertThat(last.keySet()).containsExactly("_id", "n");
        assertThat(last.get("_id")).isInstanceOf(ObjectId.class);
    }

    private static List<Object> ids(FindIterable<Document> found) {
        return found.map(d -> d.get("_id")).into(new ArrayList<>());
    }

    private static void withCollection(EmbeddedMongo mongo, Consumer<MongoCollection<Document>> work) {
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            work.accept(client.getDatabase("tandem").getCollection("entries"));
        }
    }
}
