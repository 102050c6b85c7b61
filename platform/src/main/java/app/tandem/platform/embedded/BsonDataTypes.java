package app.tandem.platform.embedded;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How the Mongo-wire server's H2 store keeps documents, primary keys and unique-index keys: as BSON, ordered
 * the way MongoDB orders values. The stock backend stores them with Java serialisation, and its index keys are
 * not comparable, so every step of a B-tree search serialised both keys to compare their bytes: most of the
 * server's time went there.
 */
final class BsonDataTypes {

    /** Values of a primary key or an index entry's position: any BSON value, or "missing". */
    static final BasicDataType<Object> VALUE = new ValueType();
    /** Unique-index keys: one value per indexed field. */
    static final BasicDataType<KeyValue> KEY = new KeyType();
    /**
     * Documents of one collection's map. Each map learns the size of its own documents: a leaf splits when its
     * estimated memory passes H2's page size, and an estimate learnt across every collection let a leaf of the
     * event store's pages (hundreds of kilobytes each) hold 48 of them, so each new page rewrote them all.
     */
    static BasicDataType<Document> documents() {
        return new DocumentType();
    }

    /** MongoDB's order, without its sort-only rule that compares an array by its smallest element. */
    private static final Comparator<Object> ORDER = ValueComparator.ascWithoutListHandling();
    private static final byte MISSING = 0;
    private static final byte BSON = 1;
    private static final byte STRING = 2;
    private static final byte LONG = 3;
    private static final byte INT = 4;
    private static final String FIELD = "v";

    private BsonDataTypes() {
    }

    /** The values keys are mostly made of are written directly; anything else as a one-field BSON document. */
    private static void writeValue(WriteBuffer buffer, Object value) {
        if (value instanceof Missing) {
            buffer.put(MISSING);
        } else if (value instanceof String text) {
            buffer.put(STRING).putVarInt(text.length()).putStringData(text, text.length());
        } else if (value instanceof Long number) {
            buffer.put(LONG).putVarLong(number);
        } else if (value instanceof Integer number) {
            buffer.put(INT).putVarInt(number);
        } else {
            buffer.put(BSON);
            writeDocument(buffer, new Document(FIELD, value));
        }
    }

    private static Object readValue(ByteBuffer buffer) {
        byte kind = buffer.get();
        return switch (kind) {
            case MISSING -> Missing.getInstance();
            case STRING -> DataUtils.readString(buffer);
            case LONG -> DataUtils.readVarLong(buffer);
            case INT -> DataUtils.readVarInt(buffer);
            case BSON -> readDocument(buffer).get(FIELD);
            default -> throw new IllegalStateException("unknown stored value kind " + kind);
        };
    }

    private static int writeDocument(WriteBuffer buffer, Document document) {
        ByteBuf bson = Unpooled.buffer(256);
        try {
            BsonEncoder.encodeDocument(document, bson);
            int length = bson.readableBytes();
            buffer.putVarInt(length).put(bson.array(), bson.arrayOffset() + bson.readerIndex(), length);
            return length;
        } finally {
            bson.release();
        }
    }

    private static Document readDocument(ByteBuffer buffer) {
        int length = DataUtils.readVarInt(buffer);
        ByteBuffer bson = buffer.slice();
        bson.limit(length);
        buffer.position(buffer.position() + length);
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
    }

    private static final class ValueType extends BasicDataType<Object> {
        @Override
        public int compare(Object a, Object b) {
            return ORDER.compare(a, b);
        }

        @Override
        public int getMemory(Object value) {
            return value instanceof String text ? 48 + 2 * text.length() : 48;
        }

        @Override
        public void write(WriteBuffer buffer, Object value) {
            writeValue(buffer, value);
        }

        @Override
        public Object read(ByteBuffer buffer) {
            return readValue(buffer);
        }

        @Override
        public Object[] createStorage(int size) {
            return new Object[size];
        }
    }

    private static final class KeyType extends BasicDataType<KeyValue> {
        @Override
        public int compare(KeyValue a, KeyValue b) {
            int common = Math.min(a.size(), b.size());
            for (int i = 0; i < common; i++) {
                int order = ORDER.compare(a.get(i), b.get(i));
                if (order != 0) {
                    return order;
                }
            }
            return Integer.compare(a.size(), b.size());
        }

        @Override
        public int getMemory(KeyValue key) {
            int memory = 32;
            for (Object value : key) {
                memory += VALUE.getMemory(value);
            }
            return memory;
        }

        @Override
        public void write(WriteBuffer buffer, KeyValue key) {
            buffer.putVarInt(key.size());
            for (Object value : key) {
                writeValue(buffer, value);
            }
        }

        @Override
        public KeyValue read(ByteBuffer buffer) {
            int size = DataUtils.readVarInt(buffer);
            List<Object> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(readValue(buffer));
            }
            return new KeyValue(values);
        }

        @Override
        public KeyValue[] createStorage(int size) {
            return new KeyValue[size];
        }
    }

    private static final class DocumentType extends BasicDataType<Document> {
        /** What a document of this map costs in the page cache, learnt from those written and read so far. */
        private volatile int averageSize = 512;

        @Override
        public int compare(Document a, Document b) {
            return a.equals(b) ? 0 : ORDER.compare(a, b);
        }

        @Override
        public int getMemory(Document document) {
            return 2 * averageSize;
        }

        @Override
        public void write(WriteBuffer buffer, Document document) {
            learn(writeDocument(buffer, document));
        }

        @Override
        public Document read(ByteBuffer buffer) {
            int start = buffer.position();
            Document document = readDocument(buffer);
            learn(buffer.position() - start);
            return document;
        }

        private void learn(int length) {
            averageSize = (15 * averageSize + length) / 16;
        }

        @Override
        public Document[] createStorage(int size) {
            return new Document[size];
        }
    }
}
