package app.tandem.devservers;

import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store's journal at the level of its maps: what changed after the last checkpoint is lost with the process
 * (closed without writing anything), and replay brings it back exactly, while a record the process did not
 * finish writing is left out.
 */
class StoreJournalTest {

    private static final String DOCUMENTS = "databases.tandem.entries";
    private static final String META = "meta.tandem.entries";
    private static final Duration NEVER_ON_ITS_OWN = Duration.ofHours(1);

    @TempDir
    Path dir;

    @Test
    void replayRestoresWhatChangedSinceTheLastCheckpointAndStopsAtATornRecord() throws Exception {
        Path file = dir.resolve("store.mv");
        MVStore store = new MVStore.Builder().fileName(file.toString()).open();
        StoreJournal journal = StoreJournal.start(store, file, NEVER_ON_ITS_OWN);
        MVMap<Object, byte[]> documents = journaled(store, journal, DOCUMENTS);
        MVMap<Object, Object> meta = journaled(store, journal, META);

        documents.put("kept", bson(new Document("_id", "kept").append("note", "before the checkpoint")));
        documents.put("removed", bson(new Document("_id", "removed")));
        meta.put("datasize", 10L);
        journal.checkpoint();

        documents.put("kept", bson(new Document("_id", "kept").append("note", "after the checkpoint")));
        documents.remove("removed");
        documents.putIfAbsent("kept", bson(new Document("_id", "kept").append("note", "not put: the key is there")));
        documents.put(7L, bson(new Document("_id", 7L).append("nested", new Document("list", java.util.List.of(1, "two")))));
        documents.replace(7L, bson(new Document("_id", 7L).append("nested", "replaced")));
        meta.put("datasize", 30L);
        meta.clear();
        meta.put("datasize", 40L);
        journal.flush();
        Map<Object, Document> expectedDocuments = decoded(documents);
        store.closeImmediately(); // as if killed: nothing written since the checkpoint but the journal
        tearLastRecord(file);

        try (MVStore committedOnly = new MVStore.Builder().fileName(file.toString()).readOnly().open()) {
            assertThat(BsonDataTypes.decode(StoreJournalTest.<byte[]>plain(committedOnly, DOCUMENTS).get("kept")).get("note"))
                    .isEqualTo("before the checkpoint");
        }

        try (MVStore reopened = new MVStore.Builder().fileName(file.toString()).open()) {
            // seven changes, the last one torn; the putIfAbsent that changed nothing left no record
            assertThat(StoreJournal.replay(reopened, file)).isEqualTo(6);
            Map<Object, Document> replayed = decoded(plain(reopened, DOCUMENTS));
            assertThat(replayed).containsExactlyInAnyOrderEntriesOf(expectedDocuments);
            assertThat(replayed.get("kept").get("note")).isEqualTo("after the checkpoint");
            assertThat(replayed).doesNotContainKey("removed");
            assertThat(plain(reopened, META)).isEmpty(); // cleared; the put after it was torn
            assertThat(segments()).as("applied segments are deleted").isEmpty();
        }
    }

    @Test
    void aCleanCloseLeavesNoJournal() throws Exception {
        Path file = dir.resolve("store.mv");
        MVStore store = new MVStore.Builder().fileName(file.toString()).open();
        StoreJournal journal = StoreJournal.start(store, file, NEVER_ON_ITS_OWN);
        journaled(store, journal, DOCUMENTS).put("kept", bson(new Document("_id", "kept")));
        journal.flush();
        assertThat(segments()).hasSize(1);
        journal.close();
        store.close();
        assertThat(segments()).isEmpty();
        try (MVStore reopened = new MVStore.Builder().fileName(file.toString()).open()) {
            assertThat(StoreJournal.replay(reopened, file)).isZero();
            assertThat(plain(reopened, DOCUMENTS)).containsKey("kept");
        }
    }

    private static byte[] bson(Document document) {
        return BsonDataTypes.encode(document);
    }

    private static Map<Object, Document> decoded(Map<Object, byte[]> documents) {
        Map<Object, Document> decoded = new HashMap<>();
        documents.forEach((id, bson) -> decoded.put(id, BsonDataTypes.decode(bson)));
        return decoded;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <V> MVMap<Object, V> journaled(MVStore store, StoreJournal journal, String name) {
        MVMap.Builder<Object, Object> types = BsonStorageBackend.builderFor(name);
        JournaledMap.Builder builder = new JournaledMap.Builder<>(() -> journal);
        if (types.getKeyType() != null) {
            builder.keyType(types.getKeyType()).valueType(types.getValueType());
        }
        return (MVMap<Object, V>) store.openMap(name, builder);
    }

    /** The map as replay and a reader open it, without a journal. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <V> MVMap<Object, V> plain(MVStore store, String name) {
        return (MVMap) store.openMap(name, BsonStorageBackend.builderFor(name));
    }

    /** Cuts the last record of the newest segment short, as a write interrupted by the process's end leaves it. */
    private void tearLastRecord(Path file) throws Exception {
        Path newest = segments().stream().max(Path::compareTo).orElseThrow();
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(newest));
        int lastStart = 0;
        while (bytes.remaining() >= 8) {
            lastStart = bytes.position();
            int length = bytes.getInt();
            bytes.position(bytes.position() + 4 + length);
        }
        Files.write(newest, java.util.Arrays.copyOf(bytes.array(), lastStart + 8 + 3), StandardOpenOption.TRUNCATE_EXISTING);
    }

    private java.util.List<Path> segments() {
        Path file = dir.resolve("store.mv");
        return StoreJournal.segmentNumbers(file).stream().map(number -> StoreJournal.segmentPath(file, number)).toList();
    }
}
