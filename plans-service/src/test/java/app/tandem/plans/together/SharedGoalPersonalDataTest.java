package app.tandem.plans.together;

import app.tandem.plans.together.SharedGoalCommands.Kind;
import app.tandem.plans.together.SharedGoalCommands.Rhythm;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalAgreed;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalDone;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalProposed;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.testkit.EmbeddedStack;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person's shared goals in their export: the title of those they proposed, and the weeks they did any. Erasure takes
 * their title and their weeks; the goal stays the partner's, with the partner's own weeks.
 */
class SharedGoalPersonalDataTest {

    private static final Instant MONDAY = Instant.parse("2026-12-07T00:00:00Z");

    private static MongoClient client;
    private static SharedGoalBoard board;
    private static PersonalDataCipher cipher;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
        MongoDatabase database = client.getDatabase("shared-goal-personal-data-test-" + UUID.randomUUID());
        board = new SharedGoalBoard(database);
        cipher = new PersonalDataCipher(database, new byte[32]);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void exportsThePersonsGoalsAndWeeksAndErasesOnlyTheirPart() {
        String alex = "alex-" + UUID.randomUUID();
        String sam = "sam-" + UUID.randomUUID();
        String couple = UUID.randomUUID().toString();
        Instant tuesday = MONDAY.plus(Duration.ofDays(1));
        board.on(new SharedGoalProposed("g-" + alex, couple, alex, sam, Kind.HEALTH_HABIT, cipher.encrypt(alex, "Swim on Tuesdays"),
                Rhythm.WEEKLY, MONDAY));
        board.on(new SharedGoalAgreed("g-" + alex, couple, sam, MONDAY));
        SharedGoalDone alexDid = new SharedGoalDone("g-" + alex, couple, alex, MONDAY, tuesday, "k1");
        board.on(alexDid);
        board.on(alexDid); // redelivered
        board.on(new SharedGoalDone("g-" + alex, couple, sam, MONDAY, tuesday, "k2"));
        SharedGoalTitles titles = new SharedGoalTitles(cipher);
        SharedGoalPersonalData data = new SharedGoalPersonalData(board, titles);

        Map<String, Map<String, Object>> alexExport = new LinkedHashMap<>();
        data.export(alex, (kind, id, fields) -> alexExport.put(kind + " " + id, fields));
        assertThat(alexExport.get("shared-goal g-" + alex)).containsEntry("title", "Swim on Tuesdays").containsEntry("kind", "HEALTH_HABIT")
                .containsEntry("weeksIDidIt", List.of("2026-12-07T00:00:00Z"));
        Map<String, Map<String, Object>> samExport = new LinkedHashMap<>();
        data.export(sam, (kind, id, fields) -> samExport.put(kind + " " + id, fields));
        assertThat(samExport.get("shared-goal g-" + alex)).as("the partner's words stay theirs").containsEntry("title", null)
                .containsEntry("proposedByMe", false);

        data.erase(alex);
        data.erase(alex);
        SharedGoalView kept = board.of(couple).get(0);
        assertThat(titles.read(kept)).isEmpty();
        assertThat(kept.proposedBy()).isNull();
        assertThat(kept.doneIn(MONDAY)).containsExactly(sam);
        assertThat(board.involving(alex)).isEmpty();
    }
}
