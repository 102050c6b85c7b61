package app.tandem.plans.victory;

import app.tandem.plans.victory.VictoryCommands.Kind;
import app.tandem.plans.victory.VictoryCommands.Reaction;
import app.tandem.plans.victory.VictoryEvents.VictoryAcknowledged;
import app.tandem.plans.victory.VictoryEvents.VictoryRecorded;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.testkit.EmbeddedStack;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person's victories in their export, private ones too, and their reactions to the partner's; erasure takes theirs
 * and leaves the partner's, with the reaction the partner was given.
 */
class VictoryPersonalDataTest {

    private static final Instant NOW = Instant.parse("2026-12-07T05:00:00Z");

    private static MongoClient client;
    private static VictoryBoard board;
    private static PersonalDataCipher cipher;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
        MongoDatabase database = client.getDatabase("victory-personal-data-test-" + UUID.randomUUID());
        board = new VictoryBoard(database);
        cipher = new PersonalDataCipher(database, new byte[32]);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void exportsThePersonsVictoriesAndReactionsAndErasesOnlyTheirs() {
        String alex = "alex-" + UUID.randomUUID();
        String sam = "sam-" + UUID.randomUUID();
        String couple = UUID.randomUUID().toString();
        board.on(new VictoryRecorded("a1", couple, alex, sam, Kind.OTHER, cipher.encrypt(alex, "walked past"), false, NOW));
        board.on(new VictoryRecorded("s1", couple, sam, alex, Kind.OTHER, cipher.encrypt(sam, "sam's words"), true, NOW));
        board.on(new VictoryRecorded("s2", couple, sam, alex, Kind.MEETING_ATTENDED, "", false, NOW));
        board.on(new VictoryAcknowledged("s1", couple, alex, sam, Reaction.PROUD_OF_YOU, NOW));
        VictoryPersonalData data = new VictoryPersonalData(board, cipher);

        Map<String, Map<String, Object>> exported = new LinkedHashMap<>();
        data.export(alex, (kind, id, fields) -> exported.put(kind + " " + id, fields));
        assertThat(exported).containsOnlyKeys("victory a1", "victory-acknowledgement s1");
        assertThat(exported.get("victory a1")).containsEntry("text", "walked past").containsEntry("shared", false);
        assertThat(exported.get("victory-acknowledgement s1")).containsEntry("reaction", "PROUD_OF_YOU").doesNotContainKey("text");

        data.erase(alex);
        data.erase(alex);
        assertThat(board.recordedBy(alex)).isEmpty();
        assertThat(board.acknowledgedBy(alex)).isEmpty();
        assertThat(board.seenBy(sam, couple)).extracting(VictoryView::victoryId, VictoryView::reaction)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("s1", Reaction.PROUD_OF_YOU),
                        org.assertj.core.groups.Tuple.tuple("s2", null));
    }

    @Test
    void aVictoryReadAfterItsAuthorWasErasedIsNotKept() {
        String alex = "alex-" + UUID.randomUUID();
        String couple = UUID.randomUUID().toString();
        board.on(new VictoryRecorded("v-" + alex, couple, alex, "sam", Kind.CRAVING_RIDDEN_OUT, "", true, NOW));
        // a replay after the erasure: the sealed kind no longer opens
        board.on(new VictoryRecorded("v-" + alex, couple, alex, "sam", null, "", true, NOW));
        assertThat(board.seenBy("sam", couple)).isEmpty();
    }
}
