package app.tandem.platform.axon;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.bson.Document;
import org.bson.types.Binary;

import java.util.HashMap;
import java.util.Map;

/**
 * Each segment's position as last stored in the token store, whichever instance holds it: read without claiming, the
 * fields as axon-mongo's {@code MongoTokenStore} writes them. Lags the holder's own position by at most
 * {@code tandem.event-store.token-write-interval}.
 */
public class StoredPositions {

    private final MongoTemplate template;
    private final Serializer serializer;

    public StoredPositions(MongoTemplate template, Serializer serializer) {
        this.template = template;
        this.serializer = serializer;
    }

    /** Position by segment of {@code processor}; 0 for a segment that has handled nothing yet. */
    public Map<Integer, Long> of(String processor) {
        Map<Integer, Long> positions = new HashMap<>();
        for (Document entry : template.trackingTokensCollection().find(Filters.eq("processorName", processor))
                .projection(Projections.include("segment", "token", "tokenType"))) {
            Binary token = entry.get("token", Binary.class);
            String type = entry.getString("tokenType");
            long position = 0;
            if (token != null && type != null) {
                TrackingToken read = serializer.deserialize(new SimpleSerializedObject<>(token.getData(), byte[].class, type, null));
                position = read == null ? 0 : read.position().orElse(0);
            }
            positions.put(entry.getInteger("segment"), position);
        }
        return positions;
    }
}
