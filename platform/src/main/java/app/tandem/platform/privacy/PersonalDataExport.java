package app.tandem.platform.privacy;

import java.util.Map;

/** Receives a person's exported items one at a time, so an export never holds a whole history in memory. */
@FunctionalInterface
public interface PersonalDataExport {

    /**
     * One item: its kind (check-in, boundary, preference, …), its id, and its fields as JSON-ready values (strings,
     * numbers, booleans, lists and maps of those, ISO-8601 times as strings).
     */
    void item(String kind, String id, Map<String, Object> fields);
}
