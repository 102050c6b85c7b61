package app.tandem.devservers;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoCollection;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The H2 backend of mongo-java-server with its documents and keys stored as BSON (see {@link BsonDataTypes}).
 * Maps are named as the stock backend names them; only how their entries are encoded differs. A file of the
 * stock backend is recognised ({@link #isStockFormat}) and refused.
 */
class BsonStorageBackend extends H2Backend {

    /** Marks a file written in this format. */
    static final String FORMAT_MAP = "tandem.storage-format";
    private static final String DATA_MAP_PREFIX = "databases.";
    private static final String META_MAP_PREFIX = "meta.";
    private static final String INDEX_MAP_INFIX = "._index_";
    private static final String ID_FIELD = "_id";

    /** Set after the stock constructor has opened the databases already in the store; null in memory. */
    private final StoreJournal journal;

    /** In memory: nothing to journal. */
    BsonStorageBackend(MVStore store) {
        this(store, null);
    }

    /** On disk: every change is journaled, and the store is committed by the journal's checkpoints. */
    BsonStorageBackend(MVStore store, StoreJournal journal) {
        super(store);
        this.journal = journal;
        store.openMap(FORMAT_MAP).put("encoding", "bson");
    }

    private StoreJournal journal() {
        return journal;
    }

    /** A command is answered once the changes it made are in the journal's file. */
    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        try {
            return super.handleCommand(channel, database, command, query);
        } finally {
            if (journal != null) {
                journal.flush();
            }
        }
    }

    @Override
    public void close() {
        if (journal != null) {
            journal.close();
        }
        super.close();
    }

    static boolean isStockFormat(MVStore store) {
        return !store.hasMap(FORMAT_MAP) && !store.getMapNames().isEmpty();
    }

    /** How the map named so is opened: its key and value types follow from its name. */
    static MVMap.Builder<Object, Object> builderFor(String mapName) {
        return withTypesFor(mapName, new MVMap.Builder<>());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static MVMap.Builder<Object, Object> withTypesFor(String mapName, MVMap.Builder builder) {
        if (mapName.startsWith(DATA_MAP_PREFIX)) {
            builder.keyType(BsonDataTypes.VALUE).valueType(BsonDataTypes.DOCUMENT);
        } else if (!mapName.startsWith(META_MAP_PREFIX) && mapName.contains(INDEX_MAP_INFIX)) {
            builder.keyType(BsonDataTypes.KEY).valueType(BsonDataTypes.VALUE);
        }
        return builder;
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new BsonDatabase(databaseName);
    }

    /** Opens each map with its BSON types before the stock database would open it with Java serialisation. */
    private final class BsonDatabase extends H2Database {

        BsonDatabase(String databaseName) {
            // the outer backend is set before this constructor runs, and the stock one opens collections already
            super(databaseName, BsonStorageBackend.this.getMvStore(), BsonStorageBackend.this.getCursorRegistry());
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            String namespace = getFullCollectionNamespace(collectionName);
            MVMap<Object, byte[]> data = open(DATA_MAP_PREFIX + namespace);
            MVMap<String, Object> meta = open(META_MAP_PREFIX + namespace);
            return new BsonCollection(this, collectionName, options, data, meta, BsonStorageBackend.this.getCursorRegistry());
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
            String namespace = getFullCollectionNamespace(collectionName);
            String mapName = namespace + INDEX_MAP_INFIX + indexName;
            if (keys.size() == 1 && ID_FIELD.equals(keys.get(0).getKey())) {
                // documents are stored under their _id already: a second map of the same keys only costs writes
                MVStore store = BsonStorageBackend.this.getMvStore();
                if (store.hasMap(mapName)) {
                    store.removeMap(mapName);
                }
                return new IdIndex(open(DATA_MAP_PREFIX + namespace), indexName, keys, sparse);
            }
            return new BsonUniqueIndex(open(mapName), indexName, keys, sparse);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private <K, V> MVMap<K, V> open(String mapName) {
            MVMap.Builder<Object, Object> journaled = withTypesFor(mapName, new JournaledMap.Builder<>(BsonStorageBackend.this::journal));
            return (MVMap) BsonStorageBackend.this.getMvStore().openMap(mapName, journaled);
        }

        // Maps are removed and renamed outside the journal: a checkpoint before the answer makes each such change
        // durable, so replaying older records cannot bring a dropped collection back.

        @Override
        public void dropCollection(String collectionName, Oplog oplog) {
            super.dropCollection(collectionName, oplog);
            checkpoint();
        }

        @Override
        public void drop(Oplog oplog) {
            super.drop(oplog);
            checkpoint();
        }

        @Override
        protected void dropIndex(MongoCollection<Object> collection, String indexName) {
            super.dropIndex(collection, indexName);
            checkpoint();
        }

        @Override
        public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newCollectionName) {
            super.moveCollection(oldDatabase, collection, newCollectionName);
            checkpoint();
        }

        private void checkpoint() {
            if (journal != null) {
                journal.checkpoint();
            }
        }
    }

    /**
     * A collection of the store: each document kept as its BSON under its _id (see {@link BsonDataTypes#DOCUMENT}), so
     * every read hands out a decoded copy of its own. The stock backend kept the decoded documents themselves,
     * changed one in place before putting it back and answered with that same object after the collection's lock
     * was released, so a concurrent change could show in an answer being encoded.
     *
     * <p>"The first or last documents by _id" come from the map, which keeps documents in _id order, as MongoDB walks
     * its _id index; the stock backend sorted the whole collection for such a query, and the event store asks for its
     * highest position that way.
     */
    private static final class BsonCollection extends AbstractSynchronizedMongoCollection<Object> {
        private static final String DATA_SIZE = "dataSize";
        private final MVMap<Object, byte[]> documents;
        private final MVMap<String, Object> meta;

        BsonCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, byte[]> documents,
                       MVMap<String, Object> meta, CursorRegistry cursors) {
            super(database, name, options, cursors);
            this.documents = documents;
            this.meta = meta;
            meta.putIfAbsent(DATA_SIZE, 0L);
        }

        /** The stock collection encodes a document only to learn its size; here the size is that of the bytes stored. */
        @Override
        protected boolean tracksDataSize() {
            return false;
        }

        @Override
        protected void updateDataSize(int sizeDelta) {
            synchronized (meta) {
                meta.put(DATA_SIZE, ((Number) meta.get(DATA_SIZE)).longValue() + sizeDelta);
            }
        }

        @Override
        protected int getDataSize() {
            return ((Number) meta.get(DATA_SIZE)).intValue();
        }

        @Override
        protected Object addDocumentInternal(Document document) {
            Object id = getIdField() == null ? UUID.randomUUID() : Utils.getSubdocumentValue(document, getIdField());
            byte[] bson = BsonDataTypes.encode(document);
            if (documents.putIfAbsent(Missing.ofNullable(id), bson) != null) {
                throw new IllegalStateException("a document with _id " + id + " is already stored in " + this);
            }
            updateDataSize(bson.length);
            return id;
        }

        @Override
        protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
            byte[] bson = BsonDataTypes.encode(newDocument);
            byte[] previous = documents.put(Missing.ofNullable(position), bson);
            updateDataSize(bson.length - (previous == null ? 0 : previous.length));
        }

        @Override
        protected void removeDocument(Object position) {
            byte[] removed = documents.remove(position);
            if (removed == null) {
                throw new NoSuchElementException("no document with _id " + position + " in " + this);
            }
            updateDataSize(-removed.length);
        }

        @Override
        protected Document getDocument(Object position) {
            byte[] bson = documents.get(position);
            return bson == null ? null : BsonDataTypes.decode(bson);
        }

        @Override
        public int count() {
            return documents.size();
        }

        @Override
        public boolean isEmpty() {
            return documents.isEmpty();
        }

        @Override
        protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
            return documents.entrySet().stream().map(entry -> new DocumentWithPosition<>(BsonDataTypes.decode(entry.getValue()), entry.getKey()));
        }

        @Override
        protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int numberToReturn, int batchSize,
                                             Document fieldSelector) {
            Integer direction = idOrder(orderBy);
            int wanted = Math.abs(numberToReturn);
            Stream<Document> candidates;
            if (query.isEmpty() && direction != null && wanted != 0) {
                List<Document> first = new ArrayList<>();
                Cursor<Object, byte[]> byId = documents.cursor(null, null, direction < 0);
                while (byId.hasNext() && first.size() < numberToSkip + wanted) {
                    byId.next();
                    first.add(BsonDataTypes.decode(byId.getValue())); // the document under the key just passed, without a second lookup
                }
                candidates = first.stream();
            } else if (isNaturalDescending(orderBy)) {
                candidates = streamAllDocumentsWithPosition()
                        .sorted((a, b) -> ValueComparator.desc().compare(a.getPosition(), b.getPosition()))
                        .map(DocumentWithPosition::getDocument);
            } else {
                candidates = documents.values().stream().map(BsonDataTypes::decode);
            }
            // skipping, limiting, projecting and the cursor as for any other query
            return matchDocumentsFromStream(candidates, query, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
        }

        /**
         * A query on an index's leading fields (equalities, then one range) walks that index over the range, as MongoDB
         * does; the stock collection answers only equalities and $in on all of an index's fields from it, and scans
         * every document for anything else.
         */
        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                             Document fieldSelector) {
            Map<String, IndexScan.Condition> conditions = IndexScan.conditions(query);
            IndexScan best = null;
            UniqueIndex bestIndex = null;
            for (Index<Object> index : conditions.isEmpty() ? List.<Index<Object>>of() : getIndexes()) {
                if (index instanceof UniqueIndex unique) {
                    IndexScan scan = IndexScan.plan(conditions, orderBy, unique.keys()).orElse(null);
                    if (scan != null && (best == null || scan.fieldsUsed() > best.fieldsUsed())) {
                        best = scan;
                        bestIndex = unique;
                    }
                }
            }
            // a point lookup the stock index answers by itself takes its path; it answers none inside an $and
            if (best == null || best.isPointLookup(bestIndex.keys()) && bestIndex.canHandle(query)) {
                return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
            }
            Stream<Document> candidates = walk(bestIndex, best);
            if (best.ordered()) {
                // in the query's order already: matched, skipped and limited as they come, so the walk stops early
                return matchDocumentsFromStream(query, candidates, numberToSkip, limit, batchSize, null, fieldSelector);
            }
            return matchDocumentsFromStream(candidates, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }

        /** The documents under the keys the scan takes, in the index's order; each once, though arrays give it several keys. */
        private Stream<Document> walk(UniqueIndex index, IndexScan scan) {
            Iterator<Document> found;
            List<Object> start = scan.start();
            if (index instanceof BsonUniqueIndex unique) {
                Cursor<KeyValue, Object> keys = unique.entries.cursor(start.isEmpty() ? null : new KeyValue(start), null, scan.reverse());
                found = new Walk<>(keys, key -> scan.step(key.stream().toList()), position -> getDocument(position));
            } else {
                Cursor<Object, byte[]> ids = documents.cursor(start.isEmpty() ? null : start.get(0), null, scan.reverse());
                found = new Walk<>(ids, id -> scan.step(List.of(id)), BsonDataTypes::decode);
            }
            Set<Object> seen = new HashSet<>();
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(found, Spliterator.ORDERED), false)
                    .filter(document -> document != null && seen.add(Missing.ofNullable(document.get(ID_FIELD))));
        }

        /** The documents of a cursor over an index while its keys are in range. */
        private static final class Walk<K, V> implements Iterator<Document> {
            private final Cursor<K, V> cursor;
            private final Function<K, IndexScan.Step> step;
            private final Function<V, Document> document;
            private Document next;
            private boolean stopped;

            Walk(Cursor<K, V> cursor, Function<K, IndexScan.Step> step, Function<V, Document> document) {
                this.cursor = cursor;
                this.step = step;
                this.document = document;
            }

            @Override
            public boolean hasNext() {
                while (next == null && !stopped && cursor.hasNext()) {
                    IndexScan.Step taken = step.apply(cursor.next());
                    if (taken == IndexScan.Step.STOP) {
                        stopped = true;
                        return false;
                    }
                    if (taken == IndexScan.Step.TAKE) {
                        next = document.apply(cursor.getValue());
                    }
                }
                return next != null;
            }

            @Override
            public Document next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Document taken = next;
                next = null;
                return taken;
            }
        }

        /** 1 or -1 when the order is by _id alone, otherwise null. */
        private static Integer idOrder(Document orderBy) {
            if (orderBy == null || orderBy.size() != 1 || !(orderBy.get(ID_FIELD) instanceof Number direction)) {
                return null;
            }
            return direction.intValue() == 1 || direction.intValue() == -1 ? direction.intValue() : null;
        }
    }

    /**
     * A unique index whose field names are listed once: the stock index lists them anew, with a stream, every time a
     * query asks whether the index can answer it, which every query asks of every index of its collection.
     */
    private abstract static class UniqueIndex extends AbstractUniqueIndex<Object> {
        private final List<String> fields;
        private final Set<String> fieldSet;

        UniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
            super(name, keys, sparse);
            this.fields = List.copyOf(super.keys());
            this.fieldSet = Collections.unmodifiableSet(new LinkedHashSet<>(fields));
        }

        @Override
        protected List<String> keys() {
            return fields;
        }

        @Override
        protected Set<String> keySet() {
            return fieldSet;
        }
    }

    /**
     * The _id index, answered by the collection's own map: the H2 backend stores each document under its _id, and
     * that map's order treats equal numbers of different types as one key, as the index does.
     */
    private static final class IdIndex extends UniqueIndex {
        private final MVMap<Object, byte[]> documents;

        IdIndex(MVMap<Object, byte[]> documents, String name, List<IndexKey> keys, boolean sparse) {
            super(name, keys, sparse);
            this.documents = documents;
        }

        /** The key a document is stored under, which may be another numeric type than the one asked for. */
        @Override
        protected Object getPosition(KeyValue key) {
            Object id = Missing.ofNullable(key.get(0));
            Object stored = documents.ceilingKey(id);
            return stored != null && documents.getKeyType().compare(stored, id) == 0 ? stored : null;
        }

        @Override
        public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
            // the collection has just stored the document under its _id; its uniqueness was checked before that
        }

        @Override
        protected boolean putKeyPosition(KeyValue key, Object position) {
            return true;
        }

        @Override
        protected Object removeDocument(KeyValue key) {
            return getPosition(key);
        }

        @Override
        protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
            return () -> documents.keySet().stream().map(id -> Map.entry(new KeyValue(id), id)).iterator();
        }

        @Override
        public long getCount() {
            return documents.sizeAsLong();
        }

        @Override
        public boolean isEmpty() {
            return documents.isEmpty();
        }

        @Override
        public long getDataSize() {
            return getCount();
        }
    }

    /** A unique index as the stock backend keeps it, on a map with BSON keys. */
    private static final class BsonUniqueIndex extends UniqueIndex {
        private final MVMap<KeyValue, Object> entries;

        BsonUniqueIndex(MVMap<KeyValue, Object> entries, String name, List<IndexKey> keys, boolean sparse) {
            super(name, keys, sparse);
            this.entries = entries;
        }

        @Override
        protected Object removeDocument(KeyValue key) {
            return entries.remove(key);
        }

        @Override
        protected boolean putKeyPosition(KeyValue key, Object position) {
            return entries.putIfAbsent(key, Missing.ofNullable(position)) == null;
        }

        @Override
        protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
            return entries.entrySet();
        }

        @Override
        protected Object getPosition(KeyValue key) {
            return entries.get(key);
        }

        @Override
        public long getCount() {
            return entries.sizeAsLong();
        }

        @Override
        public boolean isEmpty() {
            return entries.isEmpty();
        }

        @Override
        public long getDataSize() {
            return getCount();
        }
    }
}
