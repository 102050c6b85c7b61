package app.tandem.platform.axon;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.bson.Document;
import org.bson.types.Binary;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each segment's position as last stored in the token store, whichever instance holds it: read without claiming, the
 * fields as axon-mongo's {@code MongoTokenStore} writes them. Lags the holder's own position by at most
 * {@code tandem.event-store.token-write-interval}.
 */
public class StoredPositions {

    /**
     * One segment as stored: its position, the position a replay under way runs to (0 when none), and the node id of
     * the instance that claimed it, with when it last wrote its claim (null and 0 when nobody holds it).
     */
    public record StoredSegment(int segment, long position, long replayUntil, String owner, long claimedAtMillis) {
    }

    private final MongoTemplate template;
    private final Serializer serializer;

    public StoredPositions(MongoTemplate template, Serializer serializer) {
        this.template = template;
        this.serializer = serializer;
    }

    /** Position by segment of {@code processor}; 0 for a segment that has handled nothing yet. */
    public Map<Integer, Long> of(String processor) {
        Map<Integer, Long> positions = new HashMap<>();
        segments(processor).forEach((segment, stored) -> positions.put(segment, stored.position()));
        return positions;
    }

    /** Every segment of {@code processor} as stored, by segment. */
    public Map<Integer, StoredSegment> segments(String processor) {
        Map<Integer, StoredSegment> segments = new TreeMap<>();
        for (Document entry : template.trackingTokensCollection().find(Filters.eq("processorName", processor))
                .projection(Projections.include("segment", "token", "tokenType", "owner", "timestamp"))) {
            Binary token = entry.get("token", Binary.class);
            String type = entry.getString("tokenType");
            TrackingToken read = token == null || type == null ? null
                    : serializer.deserialize(new SimpleSerializedObject<>(token.getData(), byte[].class, type, null));
            long position = read == null ? 0 : read.position().orElse(0);
            long replayUntil = read instanceof ReplayToken replay && replay.getTokenAtReset() != null
                    ? replay.getTokenAtReset().position().orElse(0) : 0;
            Number claimedAt = entry.get("timestamp", Number.class);
            int segment = entry.getInteger("segment");
            segments.put(segment, new StoredSegment(segment, position, replayUntil, entry.getString("owner"),
                    claimedAt == null ? 0 : claimedAt.longValue()));
        }
        return segments;
    }
}
