package app.tandem.devstack.fuzz;

import app.tandem.platform.eventstore.MongoEventStorageEngine;
import com.mongodb.client.MongoDatabase;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How many documents each collection of the services' databases holds, event stores included. Left out: processors'
 * and the relay's tokens and the event store's pages of settled history, written on a schedule of their own, and the
 * operators' audit log, which records every operator call before it runs, refused or not, by design.
 */
final class StoredDocuments {

    /** Written by the services on their own, or on purpose for calls that are refused. */
    static final Set<String> MOVING_ON_THEIR_OWN = Set.of("trackingtokens", MongoEventStorageEngine.PAGES, "operator_audit");

    private final Map<String, MongoDatabase> databases;

    StoredDocuments(Map<String, MongoDatabase> databases) {
        this.databases = databases;
    }

    /** Counts by {@code service/collection}. */
    Map<String, Long> count() {
        Map<String, Long> counts = new TreeMap<>();
        databases.forEach((service, database) -> {
            for (String collection : database.listCollectionNames()) {
                if (!MOVING_ON_THEIR_OWN.contains(collection)) {
                    counts.put(service + "/" + collection, database.getCollection(collection).estimatedDocumentCount());
                }
            }
        });
        return counts;
    }

    /** What grew or shrank from {@code before} to {@code after}, as {@code collection: before -> after}. */
    static Map<String, String> changes(Map<String, Long> before, Map<String, Long> after) {
        Map<String, String> changed = new TreeMap<>();
        after.forEach((collection, count) -> {
            long earlier = before.getOrDefault(collection, 0L);
            if (earlier != count) {
                changed.put(collection, earlier + " -> " + count);
            }
        });
        before.forEach((collection, count) -> {
            if (!after.containsKey(collection) && count != 0) {
                changed.put(collection, count + " -> gone");
            }
        });
        return changed;
    }
}
