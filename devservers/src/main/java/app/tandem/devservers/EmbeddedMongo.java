package app.tandem.devservers;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An in-process MongoDB wire-protocol server that services reach over TCP with the real driver. It uses the H2
 * backend with documents and keys stored as BSON ({@link BsonStorageBackend}). On disk every change is in a
 * write-ahead journal before its command is answered ({@link StoreJournal}): the stock backend commits in the
 * background and loses acknowledged writes when its process is killed.
 */
public final class EmbeddedMongo implements AutoCloseable {

    /**
     * H2's cache of pages read or written. Documents are kept as bytes, so this is their real size; the pages in it
     * live for seconds under load, long enough to be copied by each young collection, so it holds what is read
     * again soon (the head of the event store, counters, recent inbox pages) and little more.
     */
    private static final int CACHE_MB = 32;

    private final MongoServer server;
    private final MongoBackend backend;
    private final InetSocketAddress address;

    private EmbeddedMongo(MongoBackend backend, String host, int port) {
        this.backend = backend;
        this.server = new MongoServer(backend);
        server.bind(host, port);
        this.address = server.getLocalAddress();
    }

    /** Durable: data survives a clean stop and a SIGKILL of this process. */
    public static EmbeddedMongo onDisk(Path file, String host, int port) {
        Path path = file.toAbsolutePath();
        MVStore store = openInBsonFormat(path);
        if (StoreJournal.replay(store, path) > 0) {
            store.close(); // the maps replay opened do not journal
            store = open(path);
        }
        return new EmbeddedMongo(new BsonStorageBackend(store, StoreJournal.start(store, path, StoreJournal.CHECKPOINT_INTERVAL)), host, port);
    }

    /** For tests: fast, gone with the JVM. */
    public static EmbeddedMongo inMemory() {
        return new EmbeddedMongo(new BsonStorageBackend(new MVStore.Builder().open()), "127.0.0.1", 0);
    }

    /** Opens the file; one the stock backend wrote (Java serialisation) is refused rather than misread. */
    private static MVStore openInBsonFormat(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MVStore store = open(file);
        if (BsonStorageBackend.isStockFormat(store)) {
            store.close();
            throw new IllegalStateException(file + " was written by mongo-java-server's stock H2 backend, which this server "
                    + "does not read; move it away to start with an empty store");
        }
        return store;
    }

    private static MVStore open(Path file) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).cacheSize(CACHE_MB).open();
        // Unused chunks stay listed in the file's layout for the retention time (45 s by default), rewritten with
        // every commit. Retention guards against a disk reordering writes on power loss, which this store does not
        // claim to survive (its journal is not synced either); after a process crash the last complete chunk is
        // found as before.
        store.setRetentionTime(0);
        return store;
    }

    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    public int port() {
        return address.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        backend.close();
    }
}
