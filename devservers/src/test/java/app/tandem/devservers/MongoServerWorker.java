package app.tandem.devservers;

import java.nio.file.Files;
import java.nio.file.Path;

/** The devstack's Mongo-wire server on a file, alone in its JVM so a test can kill it with SIGKILL. */
public final class MongoServerWorker {

    private MongoServerWorker() {
    }

    /** Arguments: the store's file, and a file to write the server's port to once it listens. */
    public static void main(String[] args) throws Exception {
        EmbeddedMongo mongo = EmbeddedMongo.onDisk(Path.of(args[0]), "127.0.0.1", 0);
        Path ready = Path.of(args[1]);
        Files.writeString(ready.resolveSibling(ready.getFileName() + ".tmp"), Integer.toString(mongo.port()));
        Files.move(ready.resolveSibling(ready.getFileName() + ".tmp"), ready);
        Thread.sleep(Long.MAX_VALUE);
    }
}
