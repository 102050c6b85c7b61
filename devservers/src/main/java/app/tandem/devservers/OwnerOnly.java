package app.tandem.devservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Secrets a local run keeps on disk are readable by their owner only, where the file system knows owners. */
public final class OwnerOnly {

    private OwnerOnly() {
    }

    public static void restrict(Path file) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + file + " to its owner", e);
        }
    }
}
