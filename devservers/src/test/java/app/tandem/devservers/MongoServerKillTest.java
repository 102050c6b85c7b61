package app.tandem.devservers;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Acknowledged means stored": the devstack's Mongo-wire server is killed with SIGKILL twice while eight clients
 * insert, amend and delete, and after each restart every acknowledged insert is there with its unique index
 * intact, every acknowledged amendment holds and every acknowledged delete stays done. A collection dropped
 * before the kill stays dropped. The store is committed about once a second, so these changes come back from
 * its journal.
 */
class MongoServerKillTest {

    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    @Test
    void keepsEveryAcknowledgedInsertThroughSigkill() throws Exception {
        Path file = dir.resolve("store.mv");
        Acknowledged acknowledged = new Acknowledged();
        for (int round = 0; round < 2; round++) {
            Path ready = dir.resolve("port-" + round);
            Process server = WorkerProcess.start(MongoServerWorker.class, file.toString(), ready.toString());
            try (MongoClient client = MongoClients.create(uriOnceListening(ready))) {
                MongoDatabase database = client.getDatabase("tandem");
                MongoCollection<Document> entries = database.getCollection("entries");
                entries.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true));
                assertEveryAcknowledgedChangeStored(database, acknowledged);
                MongoCollection<Document> scratch = database.getCollection("scratch-" + round);
                scratch.insertOne(new Document("_id", "draft"));
                scratch.drop();
                writeUntilKilled(entries, acknowledged, round, server);
            } finally {
                server.destroyForcibly();
            }
            assertThat(journalSegments()).as("changes since the last checkpoint, in the journal").isNotEmpty();
        }
        Path ready = dir.resolve("port-last");
        Process server = WorkerProcess.start(MongoServerWorker.class, file.toString(), ready.toString());
        try (MongoClient client = MongoClients.create(uriOnceListening(ready))) {
            assertEveryAcknowledgedChangeStored(client.getDatabase("tandem"), acknowledged);
        } finally {
            server.destroyForcibly();
        }
        assertThat(acknowledged.inserted).hasSizeGreaterThan(200);
        assertThat(acknowledged.amended).hasSizeGreaterThan(50);
        assertThat(acknowledged.deleted).hasSizeGreaterThan(20);
    }

    /**
     * A collection dropped just before the kill stays dropped: its documents are in the journal since the last
     * checkpoint or in the store's last commit, and replaying the journal must not bring them back.
     */
    @Test
    void keepsADroppedCollectionDroppedThroughSigkill() throws Exception {
        Path file = dir.resolve("dropped.mv");
        Path ready = dir.resolve("port-drop");
        Process server = WorkerProcess.start(MongoServerWorker.class, file.toString(), ready.toString());
        try (MongoClient client = MongoClients.create(uriOnceListening(ready))) {
            MongoDatabase database = client.getDatabase("tandem");
            database.getCollection("kept").insertOne(new Document("_id", "kept"));
            MongoCollection<Document> drafts = database.getCollection("drafts");
            for (int i = 0; i < 50; i++) {
                drafts.insertOne(new Document("_id", i).append("note", "draft " + i));
            }
            drafts.drop();
        } finally {
            server.destroyForcibly(); // at once: no periodic checkpoint between the drop and the kill
            server.waitFor();
        }
        Path again = dir.resolve("port-drop-again");
        Process restarted = WorkerProcess.start(MongoServerWorker.class, file.toString(), again.toString());
        try (MongoClient client = MongoClients.create(uriOnceListening(again))) {
            MongoDatabase database = client.getDatabase("tandem");
            assertThat(database.listCollectionNames().into(new ArrayList<>())).contains("kept").doesNotContain("drafts");
            // a collection of the same name starts empty, without the dropped one's documents under it
            database.getCollection("drafts").insertOne(new Document("_id", "new"));
            assertThat(database.getCollection("drafts").countDocuments()).isEqualTo(1);
        } finally {
            restarted.destroyForcibly();
        }
    }

    /** What the server answered as done, by the key of each entry. */
    private static final class Acknowledged {
        final Set<String> inserted = ConcurrentHashMap.newKeySet();
        final Set<String> amended = ConcurrentHashMap.newKeySet();
        final Set<String> deleted = ConcurrentHashMap.newKeySet();
        final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    }

    private List<Path> journalSegments() {
        Path file = dir.resolve("store.mv");
        return StoreJournal.segmentNumbers(file).stream().map(number -> StoreJournal.segmentPath(file, number))
                .filter(path -> path.toFile().length() > 0).toList();
    }

    /** Each writer inserts entries, amends every third one it inserted and deletes every fifth. */
    private static void writeUntilKilled(MongoCollection<Document> entries, Acknowledged acknowledged, int round, Process server)
            throws InterruptedException {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch started = new CountDownLatch(WRITERS * 20);
        for (int writer = 0; writer < WRITERS; writer++) {
            String prefix = round + "-" + writer + "-";
            writers.submit(() -> {
                for (int i = 0; ; i++) {
                    String key = prefix + i;
                    try {
                        entries.insertOne(new Document("_id", key).append("key", "k-" + key).append("note", "x".repeat(200)));
                        acknowledged.inserted.add(key);
                        if (i % 3 == 0) {
                            entries.updateOne(Filters.eq("_id", key), Updates.set("note", "amended"));
                            acknowledged.amended.add(key);
                        }
                        if (i % 5 == 0) {
                            entries.deleteOne(Filters.eq("_id", key));
                            acknowledged.deleted.add(key);
                        }
                    } catch (MongoException serverGone) {
                        acknowledged.inFlight.add(key); // done or not: the answer never came
                        return;
                    }
                    started.countDown();
                }
            });
        }
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        server.destroyForcibly(); // SIGKILL, in the middle of the writes
        server.waitFor();
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }

    private static void assertEveryAcknowledgedChangeStored(MongoDatabase database, Acknowledged acknowledged) {
        MongoCollection<Document> entries = database.getCollection("entries");
        List<String> wrong = new ArrayList<>();
        for (String key : acknowledged.inserted) {
            if (acknowledged.inFlight.contains(key)) {
                continue;
            }
            Document stored = entries.find(Filters.eq("key", "k-" + key)).first(); // through the unique index
            boolean right = acknowledged.deleted.contains(key) ? stored == null
                    : stored != null && (!acknowledged.amended.contains(key) || "amended".equals(stored.getString("note")));
            if (!right) {
                wrong.add(key + " " + stored);
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(entries.countDocuments())
                .isGreaterThanOrEqualTo(acknowledged.inserted.size() - acknowledged.deleted.size() - acknowledged.inFlight.size());
        assertThat(database.listCollectionNames().into(new ArrayList<>())).noneMatch(name -> name.startsWith("scratch"));
    }

    private static String uriOnceListening(Path ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(ready)) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(50);
        }
        return "mongodb://127.0.0.1:" + Files.readString(ready).trim() + "/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000&retryWrites=false";
    }
}
