package app.tandem.care.disclosure;

import app.tandem.care.feed.CareFeed;
import app.tandem.testkit.EmbeddedStack;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The disclosures of a patient's items in their export and gone after their erasure; another patient's stay. */
class DisclosurePersonalDataTest {

    private static MongoClient client;
    private static Disclosures disclosures;
    private static CareFeed feed;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
        MongoDatabase database = client.getDatabase("disclosure-personal-data-test-" + UUID.randomUUID());
        disclosures = new Disclosures(database);
        feed = new CareFeed(database);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void exportsAndErasesThePatientsDisclosuresOnly() {
        String alex = "alex-" + UUID.randomUUID();
        String noor = "noor-" + UUID.randomUUID();
        Instant at = Instant.parse("2026-12-07T05:00:00Z");
        disclosures.record(at, alex, "dana", "clinic", "consent-a", 1, "TREATMENT", "CARE_CHECK_IN", "entry-a");
        disclosures.record(at, noor, "dana", "clinic", "consent-n", 1, "TREATMENT", "CARE_CHECK_IN", "entry-n");
        DisclosurePersonalData data = new DisclosurePersonalData(disclosures, feed);

        List<Map<String, Object>> exported = new ArrayList<>();
        data.export(alex, (kind, id, fields) -> exported.add(fields));
        assertThat(exported).singleElement().satisfies(fields -> assertThat(fields).containsEntry("itemId", "entry-a")
                .containsEntry("counselor", "dana").containsEntry("disclosedAt", "2026-12-07T05:00:00Z").doesNotContainKey("patient"));

        data.erase(alex);
        data.erase(alex);
        assertThat(disclosures.of(alex, 10, "").disclosures()).isEmpty();
        assertThat(disclosures.of(noor, 10, "").disclosures()).hasSize(1);
    }
}
