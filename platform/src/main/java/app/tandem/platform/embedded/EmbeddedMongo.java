package app.tandem.platform.embedded;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An in-process MongoDB wire-protocol server that services reach over TCP with the real driver. On disk it
 * uses the H2 backend, made to commit every command before it answers: the stock backend commits in the
 * background and loses acknowledged writes when its process is killed.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private static final int CACHE_MB = 128;

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
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        // a cache large enough for the working set: the backend stores documents in Java-serialised form,
        // and decoding them again on every read is what a small cache costs
        MVStore store = new MVStore.Builder().fileName(file.toAbsolutePath().toString()).cacheSize(CACHE_MB).open();
        return new EmbeddedMongo(new CommitBeforeAcknowledgeBackend(store), host, port);
    }

    /** For tests: fast, gone with the JVM. */
    public static EmbeddedMongo inMemory() {
        return new EmbeddedMongo(H2Backend.inMemory(), "127.0.0.1", 0);
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

    /**
     * Commits each command's changes to the file before the reply goes out. Commands that finish while a
     * commit is being written share the next one (group commit), so concurrent writers do not queue up
     * behind one file write each.
     */
    static final class CommitBeforeAcknowledgeBackend extends H2Backend {
        private final Object tickets = new Object();
        private final Object commitLock = new Object();
        private long issued;
        private long committed;

        CommitBeforeAcknowledgeBackend(MVStore store) {
            super(store);
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            Document reply = super.handleCommand(channel, database, command, query);
            long ticket;
            synchronized (tickets) {
                ticket = ++issued; // this command's changes are complete in memory
            }
            synchronized (commitLock) {
                if (committed < ticket) {
                    long upTo;
                    synchronized (tickets) {
                        upTo = issued; // every command holding a ticket up to here has finished its changes
                    }
                    commit(); // cheap when nothing changed
                    committed = upTo;
                }
            }
            return reply;
        }
    }
}
