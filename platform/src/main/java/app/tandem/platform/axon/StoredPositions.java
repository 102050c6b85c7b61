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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each segment's position as last stored in the token store, whichever instance holds it: read without claiming, the
 * fields as axon-mongo's {@code MongoTokenStore} writes them. Lags the holder's own position by at most
 * {@code tandem.event-store.token-write-interval}.
 */
public class StoredPositions {

    /**
     * A segment as stored: its position, the position a replay runs up to (0 when not replaying), and the replica
     * holding it, null when none does or its claim ran out.
     */
    public record StoredSegment(int segment, long position, boolean replaying, long replayUntilPosition, String claimedBy) {
    }

    private final MongoTemplate template;
    private final Serializer serializer;

    public StoredPositions(MongoTemplate template, Serializer serializer) {
        this.template = template;
        this.serializer = serializer;
    }

    /** Token by segment of {@code processor}, as last stored; null for a segment that has handled nothing yet. */
    public Map<Integer, TrackingToken> tokens(String processor) {
        Map<Integer, TrackingToken> tokens = new HashMap<>();
        for (Document entry : template.trackingTokensCollection().find(Filters.eq("processorName", processor))
                .projection(Projections.include("segment", "token", "tokenType"))) {
            tokens.put(entry.getInteger("segment"), token(entry));
        }
        return tokens;
    }

    /**
     * Every segment of {@code processor} by id; a claim counts as held while written within {@code claimTimeout}
     * before {@code now}, as the token store itself decides whether a segment may be claimed.
     */
    public List<StoredSegment> segments(String processor, Duration claimTimeout, Instant now) {
        List<StoredSegment> segments = new ArrayList<>();
        long claimedSince = now.minus(claimTimeout).toEpochMilli();
        for (Document entry : template.trackingTokensCollection().find(Filters.eq("processorName", processor))
                .projection(Projections.include("segment", "token", "tokenType", "owner", "timestamp"))) {
            TrackingToken token = token(entry);
            long position = token == null ? 0 : token.position().orElse(0);
            boolean replaying = ReplayToken.isReplay(token);
            long until = token instanceof ReplayToken replay && replay.getTokenAtReset() != null
                    ? replay.getTokenAtReset().position().orElse(0) : 0;
            String owner = entry.getString("owner");
            Number claimedAt = entry.get("timestamp", Number.class);
            boolean held = owner != null && claimedAt != null && claimedAt.longValue() >= claimedSince;
            segments.add(new StoredSegment(entry.getInteger("segment"), position, replaying, until, held ? owner : null));
        }
        segments.sort(Comparator.comparingInt(StoredSegment::segment));
        return segments;
    }

    private TrackingToken token(Document entry) {
        Binary token = entry.get("token", Binary.class);
        String type = entry.getString("tokenType");
        if (token == null || type == null) {
            return null;
        }
        return serializer.deserialize(new SimpleSerializedObject<>(token.getData(), byte[].class, type, null));
    }
}
