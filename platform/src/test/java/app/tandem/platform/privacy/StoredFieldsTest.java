package app.tandem.platform.privacy;

import app.tandem.platform.mongo.CappedCounts;
import app.tandem.devservers.DevServers;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class StoredFieldsTest {

    @Test
    void aPrefixIsTakenLiterallySoAnotherPersonsRowsStay() {
        try (MongoClient client = MongoClients.create(DevServers.shared().mongoUri())) {
            MongoCollection<Document> counts = client.getDatabase("stored-fields-test-" + UUID.randomUUID()).getCollection("counts");
            CappedCounts capped = new CappedCounts(counts);
            Instant later = Instant.now().plusSeconds(3600);
            for (String id : List.of("a.b+c/1", "a.b+c/2", "aXb+c/1", "a.bbc/1", "x/a.b+c/1")) {
                capped.addOne(id, 5, later);
            }

            capped.erase("a.b+c/");
            capped.erase("a.b+c/");

            List<String> left = new ArrayList<>();
            counts.find().forEach(d -> left.add(d.getString("_id")));
            assertThat(left).containsExactlyInAnyOrder("aXb+c/1", "a.bbc/1", "x/a.b+c/1");
        }
    }

    @Test
    void storedValuesBecomeJsonReadyOnes() {
        Instant at = Instant.parse("2026-12-07T05:00:00Z");
        Document stored = new Document("_id", "x").append("at", Date.from(at)).append("nested", new Document("_id", "y").append("n", 1))
                .append("list", List.of(Date.from(at))).append("secret", "pdc1:…");
        assertThat(StoredFields.of(stored, "secret")).isEqualTo(Map.of("at", "2026-12-07T05:00:00Z", "nested", Map.of("n", 1),
                "list", List.of("2026-12-07T05:00:00Z")));
    }
}
