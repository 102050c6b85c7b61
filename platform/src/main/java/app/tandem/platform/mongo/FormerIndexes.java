package app.tandem.platform.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import org.bson.Document;

import java.util.Set;

/**
 * Indexes an earlier version of a service created and this one no longer keeps. Every instance starting drops them;
 * instances starting together may race to it, and an index another dropped first is gone as wanted. Instances of
 * the earlier version must not run beside this one: they would create them again.
 */
public final class FormerIndexes {

    /** MongoDB's answer to dropping an index that does not exist. */
    private static final int INDEX_NOT_FOUND = 27;

    private FormerIndexes() {
    }

    public static void drop(MongoCollection<Document> collection, Set<String> names) {
        for (Document index : collection.listIndexes()) {
            String name = index.getString("name");
            if (names.contains(name)) {
                try {
                    collection.dropIndex(name);
                } catch (MongoCommandException e) {
                    if (e.getErrorCode() != INDEX_NOT_FOUND) {
                        throw e;
                    }
                }
            }
        }
    }
}
