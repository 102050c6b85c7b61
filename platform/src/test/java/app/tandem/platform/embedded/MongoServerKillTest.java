package app.tandem.platform.embedded;

import app.tandem.platform.WorkerProcess;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
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
 * insert, and every insert it acknowledged is there after each restart, with its unique index intact.
 */
class MongoServerKillTest {

    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    @Test
    void keepsEveryAcknowledgedInsertThroughSigkill() throws Exception {
        Path file = dir.resolve("store.mv");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 2; round++) {
            Path ready = dir.resolve("port-" + round);
            Process server = WorkerProcess.start(MongoServerWorker.class, file.toString(), ready.toString());
            try (MongoClient client = MongoClients.create(uriOnceListening(ready))) {
                MongoCollection<Document> entries = client.getDatabase("tandem").getCollection("entries");
                entries.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true));
                assertEveryAcknowledgedInsertStored(entries, acknowledged);
                insertUntilKilled(entries, acknowledged, round, server);
            } finally {
                server.destroyForcibly();
            }
        }
        Path ready = dir.resolve("port-last");
        Process server = WorkerProcess.start(MongoServerWorker.class, file.toString(), ready.toString());
        try (MongoClient client = MongoClients.create(uriOnceListening(ready))) {
            assertEveryAcknowledgedInsertStored(client.getDatabase("tandem").getCollection("entries"), acknowledged);
        } finally {
            server.destroyForcibly();
        }
        assertThat(acknowledged).hasSizeGreaterThan(200);
    }

    private static void insertUntilKilled(MongoCollection<Document> entries, Set<String> acknowledged, int round, Process server)
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
                    } catch (MongoException serverGone) {
                        return;
                    }
                    acknowledged.add(key);
                    started.countDown();
                }
            });
        }
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        server.destroyForcibly(); // SIGKILL, in the middle of the inserts
        server.waitFor();
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }

    private static void assertEveryAcknowledgedInsertStored(MongoCollection<Document> entries, Set<String> acknowledged) {
        List<String> missing = new ArrayList<>();
        for (String key : acknowledged) {
            if (entries.find(Filters.eq("key", "k-" + key)).first() == null) {
                missing.add(key);
            }
        }
        assertThat(missing).isEmpty();
        assertThat(entries.countDocuments()).isGreaterThanOrEqualTo(acknowledged.size());
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
