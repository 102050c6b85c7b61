package app.tandem.platform.feed;

import org.bson.Document;

import java.util.List;
import java.util.Optional;

/**
 * What a stream sends for the items of its feed. Both methods run on the stream's reader thread, never at once.
 */
@FunctionalInterface
public interface Delivery<M> {

    /**
     * A run of items was read and will be sent, item by item, as the client takes them: what they all need from
     * elsewhere can be fetched here in one go, rather than once per item.
     */
    default void read(List<Document> run) {
    }

    /**
     * Just before {@code item} is sent: its message, or empty to pass over it (folded, say, or no longer allowed). An
     * exception ends the stream with UNAVAILABLE, and the client reconnects with its cursor.
     */
    Optional<M> toMessage(Document item);
}
