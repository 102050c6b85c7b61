package app.tandem.devservers;

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
import java.util.Arrays;
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
     * Documents of a collection's map, kept as their BSON bytes in memory as on disk. Decoded documents are objects
     * of dozens of maps and strings each, and the store's cache of them was most of what the collector copied and
     * promoted; bytes are one object a document, counted at their real size, written to a page or the journal as
     * they are, and every read decodes a copy of its own that nothing else changes.
     */
    static final BasicDataType<byte[]> DOCUMENT = new DocumentType();

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

    /** A document's BSON. */
    static byte[] encode(Document document) {
        ByteBuf bson = Unpooled.buffer(256);
        try {
            BsonEncoder.encodeDocument(document, bson);
            byte[] bytes = new byte[bson.readableBytes()];
            bson.readBytes(bytes);
            return bytes;
        } finally {
            bson.release();
        }
    }

    static Document decode(byte[] bson) {
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
    }

    private static void writeDocument(WriteBuffer buffer, Document document) {
        writeBytes(buffer, encode(document));
    }

    private static void writeBytes(WriteBuffer buffer, byte[] bson) {
        buffer.putVarInt(bson.length).put(bson);
    }

    private static byte[] readBytes(ByteBuffer buffer) {
        byte[] bson = new byte[DataUtils.readVarInt(buffer)];
        buffer.get(bson);
        return bson;
    }

    private static Document readDocument(ByteBuffer buffer) {
        return decode(readBytes(buffer));
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

    /** Written as a length and the BSON, as the decoded documents were before, so files of either kind read alike. */
    private static final class DocumentType extends BasicDataType<byte[]> {
        /** An array's header and the page's reference to it, beside the bytes. */
        private static final int OVERHEAD = 24;

        @Override
        public int compare(byte[] a, byte[] b) {
            return Arrays.compare(a, b);
        }

        @Override
        public int getMemory(byte[] bson) {
            return bson.length + OVERHEAD;
        }

        @Override
        public void write(WriteBuffer buffer, byte[] bson) {
            writeBytes(buffer, bson);
        }

        @Override
        public byte[] read(ByteBuffer buffer) {
            return readBytes(buffer);
        }

        @Override
        public byte[][] createStorage(int size) {
            return new byte[size][];
        }
    }
}
