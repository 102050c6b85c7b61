package app.tandem.platform.privacy;

import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A stored document's fields as an export item carries them: JSON-ready values, times as ISO-8601 strings. */
public final class StoredFields {

    private StoredFields() {
    }

    /** Every field but {@code _id} and the {@code omitted} ones (ciphertext a caller decrypts, other people's ids). */
    public static Map<String, Object> of(Document document, String... omitted) {
        Set<String> left = Set.copyOf(Arrays.asList(omitted));
        Map<String, Object> fields = new LinkedHashMap<>();
        document.forEach((name, value) -> {
            if (!name.equals("_id") && !left.contains(name)) {
                fields.put(name, value(value));
            }
        });
        return fields;
    }

    public static Object value(Object value) {
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        if (value instanceof TemporalAccessor || value instanceof ObjectId || value instanceof Enum<?>) {
            return value instanceof Enum<?> named ? named.name() : value.toString();
        }
        if (value instanceof Document nested) {
            return of(nested);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> fields = new LinkedHashMap<>();
            map.forEach((name, inner) -> fields.put(String.valueOf(name), value(inner)));
            return fields;
        }
        if (value instanceof List<?> list) {
            List<Object> values = new ArrayList<>(list.size());
            list.forEach(item -> values.add(value(item)));
            return values;
        }
        return value;
    }

    /**
     * Rows whose {@code _id} starts with {@code prefix}, such as counters and locks keyed "person/…": an anchored,
     * case-sensitive prefix, which MongoDB answers from the {@code _id} index.
     */
    public static Bson idStartsWith(String prefix) {
        return Filters.regex("_id", "^" + prefix.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\$0"));
    }

    /** A time as exported: ISO-8601, or null. */
    public static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
