package app.tandem.plans.relapse;

import app.tandem.plans.relapse.RelapseEvents.RelapseResponseStarted;
import app.tandem.plans.safetyplan.PlanSection.Role;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A person's relapse tasks in their export, and only theirs taken out of a response both partners share. */
class RelapsePersonalDataTest {

    private static MongoClient client;
    private static RelapseTaskBoard board;
    private static PersonalDataCipher cipher;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
        MongoDatabase database = client.getDatabase("relapse-personal-data-test-" + UUID.randomUUID());
        board = new RelapseTaskBoard(database);
        cipher = new PersonalDataCipher(database, new byte[32]);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void exportsThePersonsTasksWithTheirPlanStepAndErasesOnlyThose() {
        String alex = "alex-" + UUID.randomUUID();
        String sam = "sam-" + UUID.randomUUID();
        String lapse = UUID.randomUUID().toString();
        Instant now = Instant.parse("2026-12-07T05:00:00Z");
        List<RelapseTask> tasks = List.of(
                new RelapseTask("immediately-1", alex, Role.IF_I_LAPSE, Timeframe.IMMEDIATELY, RelapseTask.Kind.PLAN_STEP,
                        cipher.encrypt(alex, "tell sam"), alex),
                new RelapseTask("immediately-2", alex, Role.IF_I_LAPSE, Timeframe.IMMEDIATELY, RelapseTask.Kind.CHECK_SAFETY, null, null),
                new RelapseTask("immediately-3", sam, Role.IF_MY_PARTNER_LAPSES, Timeframe.IMMEDIATELY, RelapseTask.Kind.RESPOND_WITH_CARE,
                        null, null));
        board.on(new RelapseResponseStarted(lapse, "couple", alex, sam, now, false, 1, List.of(), tasks, now, now));
        RelapsePersonalData data = new RelapsePersonalData(board, cipher);

        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> fields = new ArrayList<>();
        data.export(alex, (kind, id, item) -> {
            ids.add(kind + " " + id);
            fields.add(item);
        });
        assertThat(ids).containsExactlyInAnyOrder("relapse-task " + lapse + "/immediately-1", "relapse-task " + lapse + "/immediately-2");
        assertThat(fields).extracting(f -> f.get("text")).containsExactlyInAnyOrder("tell sam", null);

        data.erase(alex);
        data.erase(alex);
        assertThat(board.everyTaskOf(alex)).isEmpty();
        assertThat(board.tasksOf(sam, "couple", true)).extracting(entry -> entry.task().taskId()).containsExactly("immediately-3");
    }
}
