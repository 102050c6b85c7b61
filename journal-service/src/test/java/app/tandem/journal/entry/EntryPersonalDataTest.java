package app.tandem.journal.entry;

import app.tandem.journal.entry.EntryEvents.CheckInRecorded;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.testkit.EmbeddedStack;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A person's entries in their export, decrypted; after their erasure the partner's timeline keeps only the partner's own. */
class EntryPersonalDataTest {

    private static MongoClient client;
    private static Timeline timeline;
    private static PersonalDataCipher cipher;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
        MongoDatabase database = client.getDatabase("entry-personal-data-test-" + UUID.randomUUID());
        timeline = new Timeline(database);
        cipher = new PersonalDataCipher(database, new byte[32]);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void exportsThePersonsOwnEntriesAndErasureLeavesThePartnersTimelineWithTheirsAlone() {
        String alex = "alex-" + UUID.randomUUID();
        String sam = "sam-" + UUID.randomUUID();
        String couple = UUID.randomUUID().toString();
        String alexShared = checkIn(couple, alex, Visibility.SHARED_WITH_PARTNER, "for sam");
        String alexPrivate = checkIn(couple, alex, Visibility.PRIVATE, "mine");
        String samShared = checkIn(couple, sam, Visibility.SHARED_WITH_PARTNER, "for alex");
        checkIn(couple, sam, Visibility.PRIVATE, "sam's own");
        EntryPersonalData data = new EntryPersonalData(timeline, new EntryHistory(null), cipher);

        Map<String, Map<String, Object>> exported = new LinkedHashMap<>();
        data.export(alex, (kind, id, fields) -> exported.put(kind + " " + id, fields));
        assertThat(exported).containsOnlyKeys("check-in " + alexShared, "check-in " + alexPrivate);
        assertThat(exported.get("check-in " + alexPrivate)).containsEntry("note", "mine").containsEntry("tags", List.of("calm"))
                .containsEntry("visibility", "PRIVATE");

        data.erase(alex);
        data.erase(alex);
        List<String> samSees = new ArrayList<>();
        timeline.visibleTo(sam, couple, List.of(alex, sam), new Timeline.Filter(null, null, Set.of()), null, 10)
                .forEach(entry -> samSees.add(entry.entryId()));
        assertThat(samSees).hasSize(2).contains(samShared);
        assertThat(timeline.everyEntryOf(alex)).isEmpty();
    }

    private static String checkIn(String couple, String author, Visibility visibility, String note) {
        String id = UUID.randomUUID().toString();
        Instant at = Instant.parse("2026-12-07T05:00:00Z");
        timeline.on(new CheckInRecorded(id, couple, author, null, at, at, new EntryContent.CheckIn(3, 2, false,
                EntryContent.UseDetails.NONE, List.of(), cipher.encrypt(author, "calm"), List.of(), List.of(),
                cipher.encrypt(author, note), visibility)));
        return id;
    }
}
