package app.tandem.notifications.delivery;

import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.testkit.EmbeddedStack;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Held prompts, snoozes and push counts of a person: exported and erased, their partner's left as they were. */
class DeliveryPersonalDataTest {

    private static MongoClient client;
    private static MongoDatabase database;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
        database = client.getDatabase("delivery-personal-data-test-" + UUID.randomUUID());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void exportsAndErasesOnlyThePersonsOwn() {
        String alex = "alex." + UUID.randomUUID();
        String sam = "sam." + UUID.randomUUID();
        String couple = UUID.randomUUID().toString();
        Instant now = Instant.parse("2026-12-07T05:00:00Z");
        HeldPrompts held = new HeldPrompts(database, Clock.systemUTC());
        Snoozes snoozes = new Snoozes(database);
        PushBudgets budgets = new PushBudgets(database);
        for (String person : List.of(alex, sam)) {
            held.hold(new Inbox.Draft("boundary", person, NotificationKind.PARTNER_PROPOSED_BOUNDARY, couple, "t", "b", null), now.plusSeconds(3600));
            snoozes.snooze(person, couple, now.plusSeconds(600));
            budgets.take(person, couple, false, now, 1);
        }
        DeliveryPersonalData data = new DeliveryPersonalData(held, snoozes, budgets);

        List<String> exported = new ArrayList<>();
        data.export(alex, (kind, id, fields) -> exported.add(kind + " " + id + " " + fields.getOrDefault("until", "")));
        assertThat(exported).containsExactlyInAnyOrder("held-prompt boundary/" + alex + " 2026-12-07T06:00:00Z",
                "partner-snooze " + couple + " 2026-12-07T05:10:00Z");

        data.erase(alex);
        data.erase(alex);
        assertThat(held.heldFor(alex)).isEmpty();
        assertThat(snoozes.of(alex)).isEmpty();
        assertThat(budgets.take(alex, couple, false, now, 1)).as("alex's count is gone").isTrue();
        assertThat(held.heldFor(sam)).hasSize(1);
        assertThat(snoozes.of(sam)).containsKey(couple);
        assertThat(budgets.take(sam, couple, false, now, 1)).as("sam's count stays").isFalse();
    }
}
