package app.tandem.devservers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes a folder the embedded stack or a benchmark made for one run. */
public final class TemporaryFolders {

    private TemporaryFolders() {
    }

    /** Deletes {@code folder} and everything in it; what cannot be deleted stays, which is harmless. */
    public static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // already gone, or unreadable: nothing more to do
        }
    }
}
