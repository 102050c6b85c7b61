package app.tandem.devservers;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The write-ahead journal of the Mongo-wire server's store on disk, as MongoDB keeps one beside its data files.
 * <p>
 * A commit of H2's copy-on-write store writes every page on the path to each changed entry again, with the
 * documents of whole leaves encoded anew: committing before each answer made that most of the server's work.
 * Instead each change to a map is appended here as the entry's new state, and written to the file before the
 * command that made it is answered ({@link #flush}). About once a second the store is committed (a checkpoint);
 * the journal it covers is then deleted. After a crash, the journal since the last checkpoint is applied to the
 * store again in order: records hold states, not steps, so applying one the store already has changes nothing.
 * <p>
 * Like the commits it replaces, a write reaches the operating system, not necessarily the disk: acknowledged
 * writes survive the process being killed, not the machine losing power.
 * <p>
 * The journal is a numbered sequence of segment files next to the store's ({@code store.mv.journal.7}). A
 * checkpoint starts the next segment, records in the store that replay starts there, commits, and deletes the
 * segments before it.
 */
final class StoreJournal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreJournal.class);
    /** Not journaled itself: it is only written by checkpoints, which commit it. */
    private static final String MARKER_MAP = "tandem.journal";
    private static final String REPLAY_FROM = "replayFrom";
    private static final String SEGMENT_INFIX = ".journal.";
    /** How often the store is committed: the longer, the more journal a restart after a crash applies. */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    private static final int HEADER_BYTES = 8; // length and CRC of the record that follows
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;
    private static final byte CLEAR = 3;
    /** One record being encoded per thread: a buffer H2 grows by a megabyte at a time is worth keeping. */
    private static final ThreadLocal<WriteBuffer> RECORD = ThreadLocal.withInitial(() -> new WriteBuffer(4096));

    private final MVStore store;
    private final Path file;
    private final MVMap<String, Long> marker;
    private final ScheduledExecutorService checkpoints;

    private final Object appendLock = new Object();
    /** Records not written yet; guarded by {@link #appendLock}. */
    private ByteBuffer pending = ByteBuffer.allocate(1 << 16);
    /** Bytes appended since start; guarded by {@link #appendLock}. */
    private long appended;
    /** Bytes written to segments since start. */
    private volatile long written;

    private final Object flushLock = new Object();
    /** The buffer being written, swapped with {@link #pending}; guarded by {@link #flushLock}. */
    private ByteBuffer writing = ByteBuffer.allocate(1 << 16);
    /** Guarded by {@link #flushLock}; changed only by checkpoints. */
    private FileChannel segment;
    private long segmentNumber;
    private long segmentBytes;

    private final Object checkpointLock = new Object();

    private StoreJournal(MVStore store, Path file, Duration checkpointInterval) {
        this.store = store;
        this.file = file;
        this.marker = store.openMap(MARKER_MAP);
        this.segmentNumber = marker.getOrDefault(REPLAY_FROM, 0L);
        this.segment = openSegment(segmentNumber);
        this.checkpoints = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "mongo-store-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
        long every = checkpointInterval.toMillis();
        checkpoints.scheduleWithFixedDelay(this::checkpointInBackground, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Applies what the journal of {@code file} holds beyond the store's last checkpoint, commits, and deletes the
     * segments applied. Returns how many records were applied; maps it opened are plain ones, so a store with
     * records applied is reopened before use.
     */
    static int replay(MVStore store, Path file) {
        MVMap<String, Long> marker = store.openMap(MARKER_MAP);
        long from = marker.getOrDefault(REPLAY_FROM, 0L);
        long next = from;
        int applied = 0;
        Map<String, MVMap<Object, Object>> maps = new HashMap<>();
        for (long number : segmentNumbers(file)) {
            if (number >= from) {
                applied += apply(read(segmentPath(file, number)), store, maps);
                next = number + 1;
            }
        }
        marker.put(REPLAY_FROM, next);
        store.commit();
        deleteSegmentsBefore(file, next);
        if (applied > 0) {
            log.info("Applied {} journaled changes to {}", applied, file);
        }
        return applied;
    }

    /** Journals the changes to {@code store}, which has nothing left to replay, and checkpoints it in the background. */
    static StoreJournal start(MVStore store, Path file, Duration checkpointInterval) {
        return new StoreJournal(store, file, checkpointInterval);
    }

    /** Records the state of {@code key} in {@code map} after a change: {@code null} when it is gone. */
    <K, V> void changed(MVMap<K, V> map, K key, V value) {
        WriteBuffer record = startRecord(value == null ? REMOVE : PUT, map);
        map.getKeyType().write(record, key);
        if (value != null) {
            map.getValueType().write(record, value);
        }
        append(record);
    }

    void cleared(MVMap<?, ?> map) {
        append(startRecord(CLEAR, map));
    }

    /** Writes every record appended so far, so the command that appended its own may be answered. */
    void flush() {
        long target;
        synchronized (appendLock) {
            target = appended;
        }
        if (written >= target) {
            return; // nothing of ours waits; most reads end here
        }
        synchronized (flushLock) {
            if (written < target) {
                writePending(); // also takes what others appended meanwhile: one write for all of them
            }
        }
    }

    /** Commits the store and deletes the journal the commit covers. Also before a collection is dropped or renamed. */
    void checkpoint() {
        synchronized (checkpointLock) {
            long covered;
            synchronized (flushLock) {
                writePending();
                if (segmentBytes == 0) {
                    if (store.hasUnsavedChanges()) {
                        store.commit(); // changes made before the journal started, or H2's own
                    }
                    return;
                }
                covered = segmentNumber;
                closeSegment();
                segmentNumber = covered + 1;
                segment = openSegment(segmentNumber);
                segmentBytes = 0;
            }
            // every record in the segments before was appended after its change was made, so this commit holds it
            marker.put(REPLAY_FROM, covered + 1);
            store.commit();
            deleteSegmentsBefore(file, covered + 1);
        }
    }

    /** Checkpoints once more and removes the journal: a cleanly closed store needs none. */
    @Override
    public void close() {
        checkpoints.shutdown(); // not interrupted: an interrupt during a file write closes H2's file
        try {
            checkpoints.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpoint();
        synchronized (flushLock) {
            closeSegment();
            deleteSegmentsBefore(file, segmentNumber + 1);
        }
    }

    private void checkpointInBackground() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            // the journal keeps every change meanwhile; the next checkpoint tries again
            log.warn("Checkpoint of {} failed", file, e);
        }
    }

    private static WriteBuffer startRecord(byte kind, MVMap<?, ?> map) {
        String name = map.getName();
        WriteBuffer record = RECORD.get().clear();
        record.putInt(0).putInt(0); // header, filled in by append
        record.put(kind).putVarInt(name.length()).putStringData(name, name.length());
        return record;
    }

    private void append(WriteBuffer record) {
        ByteBuffer bytes = record.getBuffer();
        bytes.flip();
        int length = bytes.remaining() - HEADER_BYTES;
        bytes.putInt(0, length).putInt(4, checksum(bytes.duplicate().position(HEADER_BYTES)));
        synchronized (appendLock) {
            if (pending.remaining() < bytes.remaining()) {
                pending = ByteBuffer.allocate(Math.max(2 * pending.capacity(), pending.position() + bytes.remaining()))
                        .put(pending.flip());
            }
            pending.put(bytes);
            appended += bytes.limit();
        }
    }

    /** Holds {@link #flushLock}. */
    private void writePending() {
        long upTo;
        synchronized (appendLock) {
            if (pending.position() == 0) {
                return;
            }
            ByteBuffer full = pending;
            pending = writing;
            writing = full;
            upTo = appended;
        }
        writing.flip();
        try {
            segmentBytes += writing.remaining();
            while (writing.hasRemaining()) {
                segment.write(writing);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the journal of " + file, e);
        } finally {
            writing.clear();
        }
        written = upTo;
    }

    private FileChannel openSegment(long number) {
        try {
            // replay has applied and deleted every segment from here on, so whatever is there is stale
            return FileChannel.open(segmentPath(file, number),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void closeSegment() {
        try {
            segment.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Applies the records of one segment in order. A record cut short or damaged can only be the last one written
     * before the process died, and its command was not answered: the segment's replay ends there.
     */
    private static int apply(ByteBuffer segment, MVStore store, Map<String, MVMap<Object, Object>> maps) {
        int applied = 0;
        while (segment.remaining() >= HEADER_BYTES) {
            int length = segment.getInt();
            int expectedCrc = segment.getInt();
            if (length < 0 || length > segment.remaining()) {
                break;
            }
            ByteBuffer record = segment.slice().limit(length);
            if (checksum(record.duplicate()) != expectedCrc) {
                break;
            }
            segment.position(segment.position() + length);
            byte kind = record.get();
            String name = DataUtils.readString(record);
            MVMap<Object, Object> map = maps.computeIfAbsent(name, n -> store.openMap(n, BsonStorageBackend.builderFor(n)));
            switch (kind) {
                case PUT -> map.put(map.getKeyType().read(record), map.getValueType().read(record));
                case REMOVE -> map.remove(map.getKeyType().read(record));
                case CLEAR -> map.clear();
                default -> throw new IllegalStateException("unknown journal record kind " + kind + " in " + name);
            }
            applied++;
        }
        if (segment.hasRemaining()) {
            log.warn("Ignored {} bytes at the end of a journal segment: a record the process did not finish writing", segment.remaining());
        }
        return applied;
    }

    /** Of a record's bytes after its header, as written and as checked on replay. */
    private static int checksum(ByteBuffer recordBody) {
        CRC32 crc = new CRC32();
        crc.update(recordBody);
        return (int) crc.getValue();
    }

    private static ByteBuffer read(Path segment) {
        try {
            return ByteBuffer.wrap(Files.readAllBytes(segment));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path segmentPath(Path file, long number) {
        return file.resolveSibling(file.getFileName() + SEGMENT_INFIX + number);
    }

    /** The numbers of the journal segments next to the store's {@code file}, in order. */
    static List<Long> segmentNumbers(Path file) {
        String prefix = file.getFileName() + SEGMENT_INFIX;
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            return siblings.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith(prefix) && name.substring(prefix.length()).chars().allMatch(Character::isDigit))
                    .map(name -> Long.parseLong(name.substring(prefix.length())))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteSegmentsBefore(Path file, long number) {
        for (long older : segmentNumbers(file)) {
            if (older < number) {
                try {
                    Files.deleteIfExists(segmentPath(file, older));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
