package app.tandem.devstack;

import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.ListTimelineResponse;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationPreferences;
import app.tandem.api.v1.Role;
import app.tandem.api.v1.Visibility;
import app.tandem.cli.TandemCli;
import app.tandem.journal.JournalApplication;
import app.tandem.notifications.NotificationsApplication;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import app.tandem.testkit.LocalIdentities;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operators' command line against the embedded Tandem, through the gateway as an operator would run it. */
@ExtendWith(EmbeddedTandem.class)
class OperatorCommandLineTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TandemUnderTest tandem;
    private static String operatorSubject;
    private static String operatorToken;

    @BeforeAll
    static void start() {
        tandem = EmbeddedTandem.get();
        operatorSubject = "olive-" + GatewayClient.key();
        operatorToken = tandem.issuer.issue(operatorSubject, Set.of(Role.ROLE_OPERATOR), null, Duration.ofMinutes(30));
    }

    private record Run(int exit, String out, String err) {
        List<JsonNode> jsonLines() {
            return out.lines().filter(line -> !line.isBlank()).map(JSON::readTree).toList();
        }
    }

    private static Run tandem(String token, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = TandemCli.run(new PrintWriter(out), new PrintWriter(err),
                Map.of("TANDEM_GATEWAY", tandem.gatewayTarget, "TANDEM_PLAINTEXT", "true", "TANDEM_TOKEN", token), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run ops(String... args) {
        String[] withOps = new String[args.length + 1];
        withOps[0] = "ops";
        System.arraycopy(args, 0, withOps, 1, args.length);
        return tandem(operatorToken, withOps);
    }

    private record Couple(String id, GatewayClient a, GatewayClient b) {
    }

    private static Couple couple(String a, String b) {
        GatewayClient first = tandem.person(a);
        GatewayClient second = tandem.person(b);
        CreateCoupleResponse created = first.createCouple();
        second.join(created.getInviteCode());
        return new Couple(created.getCoupleId(), first, second);
    }

    private static List<Notification> inbox(GatewayClient person) {
        return person.notifications().listNotifications(ListNotificationsRequest.newBuilder().setPageSize(100).build()).getNotificationsList();
    }

    private static long promptsAbout(GatewayClient person, String checkInId) {
        return inbox(person).stream().filter(n -> n.getCheckInId().equals(checkInId)).count();
    }

    /**
     * An operator erases a person on a verified request: the command waits until every service confirmed, the erasure
     * is recorded in the audit log with its reference, and the person left their couple as any leave.
     */
    @Test
    void anOperatorErasesAPersonOnAVerifiedRequestAndSeesEveryServiceConfirm() {
        Couple couple = couple("kim", "lou");
        couple.a().checkIn(couple.id(), Visibility.SHARED_WITH_PARTNER, "before the request");

        Run erased = ops("erase", couple.a().personId, "--reference", "case 2026-118", "--json");

        assertThat(erased.exit()).as(erased.err()).isZero();
        JsonNode erasure = erased.jsonLines().get(0);
        assertThat(erasure.path("state").asString()).isEqualTo("COMPLETED");
        assertThat(erasure.path("erasedBy")).hasSize(tandem.services.size());
        assertThat(couple.b().couples().getCouple(app.tandem.api.v1.GetCoupleRequest.newBuilder().setCoupleId(couple.id()).build())
                .getShared()).isFalse();
        assertThat(ops("audit", "journal-service", "--json").jsonLines()).anySatisfy(line -> {
            assertThat(line.path("action").asString()).isEqualTo("ErasePerson");
            assertThat(line.path("target").asString()).contains("case 2026-118");
        });
        assertThat(ops("erase", couple.a().personId).exit()).as("a reference is required").isEqualTo(2);
    }

    @Test
    void aReplayRebuildsTheTimelineReadForReadWhileCheckInsArriveAndPromptsNoOne() throws Exception {
        Couple couple = couple("alex", "sam");
        List<String> shared = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            shared.add(couple.a().checkIn(couple.id(), Visibility.SHARED_WITH_PARTNER, "shared " + i));
        }
        couple.a().checkIn(couple.id(), Visibility.PRIVATE, "private");
        shared.add(couple.b().checkIn(couple.id(), Visibility.SHARED_WITH_PARTNER, "from sam"));
        await().atMost(Duration.ofSeconds(30)).until(() -> shared.subList(0, 3).stream().allMatch(id -> promptsAbout(couple.b(), id) == 1)
                && promptsAbout(couple.a(), shared.get(3)) == 1);
        ListTimelineResponse alexBefore = couple.a().timeline(couple.id());
        ListTimelineResponse samBefore = couple.b().timeline(couple.id());
        int samsPrompts = inbox(couple.b()).size();

        Couple others = couple("bo", "cy");
        AtomicBoolean replaying = new AtomicBoolean(true);
        CompletableFuture<List<String>> arriving = CompletableFuture.supplyAsync(() -> {
            List<String> recorded = new ArrayList<>();
            while (replaying.get() || recorded.size() < 3) {
                recorded.add(others.a().checkIn(others.id(), Visibility.SHARED_WITH_PARTNER, "meanwhile"));
            }
            return recorded;
        });
        Run replay = ops("replay", JournalApplication.NAME, "timeline", "--every", "PT0.1S");
        replaying.set(false);
        List<String> recordedMeanwhile = arriving.get();

        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.err()).contains("replaying timeline of journal-service up to position").contains("events/s");
        assertThat(replay.out()).startsWith("replayed: timeline of journal-service at position");
        assertThat(couple.a().timeline(couple.id())).isEqualTo(alexBefore);
        assertThat(couple.b().timeline(couple.id())).isEqualTo(samBefore);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(others.b().wholeTimeline(others.id()))
                .extracting(entry -> entry.getCheckInId()).containsAll(recordedMeanwhile));

        // a prompt the replay made would come before this one, on the couple's partition
        String after = couple.a().checkIn(couple.id(), Visibility.SHARED_WITH_PARTNER, "after the replay");
        await().atMost(Duration.ofSeconds(30)).until(() -> promptsAbout(couple.b(), after) == 1);
        assertThat(inbox(couple.b())).hasSize(samsPrompts + 1);

        Run attach = ops("replay", "--attach", JournalApplication.NAME, "timeline", "--json");
        assertThat(attach.exit()).isZero();
        assertThat(attach.jsonLines()).singleElement().satisfies(line -> assertThat(line.get("outcome").asString())
                .isEqualTo("no replay of timeline is under way"));
    }

    @Test
    void anExportOfACoupleIsExactlyItsStoredEventsWithWhatTheyWroteStillEncrypted() throws Exception {
        Couple couple = couple("dee", "eli");
        Couple other = couple("fay", "gus");
        String secret = "note only dee may read " + UUID.randomUUID();
        String sharedEntry = couple.a().checkIn(couple.id(), Visibility.SHARED_WITH_PARTNER, secret);
        String privateEntry = couple.a().checkIn(couple.id(), Visibility.PRIVATE, secret);
        other.a().checkIn(other.id(), Visibility.SHARED_WITH_PARTNER, "someone else's");

        Run export = ops("export", "--couple", couple.id());

        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).doesNotContain(secret).doesNotContain(other.id());
        List<JsonNode> lines = export.jsonLines();
        assertThat(lines).allSatisfy(line -> assertThat(line.get("aggregateId").asString().equals(couple.id())
                || line.get("payload").path("coupleId").asString("").equals(couple.id())).isTrue());
        List<Long> journalPositions = lines.stream().filter(line -> line.get("service").asString().equals(JournalApplication.NAME))
                .map(line -> line.get("position").asLong()).toList();
        MongoDatabase journal = tandem.services.get(JournalApplication.NAME).bean(MongoDatabase.class);
        List<Long> stored = journal.getCollection("domain_events")
                .find(Filters.in("aggregateIdentifier", couple.id(), sharedEntry, privateEntry))
                .map(document -> document.get("_id", Number.class).longValue()).into(new ArrayList<>());
        assertThat(journalPositions).isSorted().containsExactlyInAnyOrderElementsOf(stored);
        assertThat(lines).extracting(line -> line.get("type").asString())
                .anyMatch(type -> type.endsWith("CoupleCreated")).anyMatch(type -> type.endsWith("PartnerJoined"))
                .filteredOn(type -> type.endsWith("CheckInRecorded")).hasSize(2);
        assertThat(export.err()).contains("exported " + lines.size() + " events");

        Path file = Files.createTempDirectory("export").resolve("couple.jsonl");
        Run toFile = ops("export", "--couple", couple.id(), "--output", file.toString());
        assertThat(toFile.exit()).as(toFile.err()).isZero();
        assertThat(Files.readString(file)).isEqualTo(export.out());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ops("export", "--from", "2026-01-01T00:00:00Z", "--to", "2026-03-01T00:00:00Z").exit()).isEqualTo(2);

        Run oneEntry = ops("export", "--aggregate", privateEntry, "--service", JournalApplication.NAME);
        assertThat(oneEntry.jsonLines()).singleElement().satisfies(line -> {
            assertThat(line.get("sequence").asLong()).isZero();
            assertThat(line.get("aggregateType").asString()).isEqualTo("Entry");
        });
        assertThat(oneEntry.out()).doesNotContain(secret);
    }

    @Test
    void aRecordThatFailedUntilItsCauseWasRepairedIsListedAndARetryDeliversItOnce() {
        Couple couple = couple("hal", "ivy");
        couple.b().notifications().setPreferences(NotificationPreferences.newBuilder().setTimeZone("Europe/Berlin").build());
        MongoDatabase notifications = tandem.services.get(NotificationsApplication.NAME).bean(MongoDatabase.class);
        // stored data no release could read: every attempt at the partner's prompt fails the same way
        notifications.getCollection("notification_preferences").updateOne(Filters.eq("_id", couple.b().personId),
                Updates.set("zone", "Atlantis/Lost"));
        String checkIn = couple.a().checkIn(couple.id(), Visibility.SHARED_WITH_PARTNER, "shared");

        JsonNode letter = await().atMost(Duration.ofSeconds(60)).until(() -> ops("dead-letters", "list", NotificationsApplication.NAME,
                        "--waiting", "--json").jsonLines().stream()
                .filter(line -> line.get("error").asString().endsWith("ZoneRulesException")).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(letter.get("kind").asString()).isEqualTo("CONSUMED");
        assertThat(promptsAbout(couple.b(), checkIn)).isZero();
        Run table = ops("dead-letters", "list", NotificationsApplication.NAME, "--waiting");
        assertThat(table.out()).contains(letter.get("deadLetterId").asString()).contains("waiting").contains("ZoneRulesException");

        notifications.getCollection("notification_preferences").updateOne(Filters.eq("_id", couple.b().personId),
                Updates.set("zone", "Europe/Berlin"));
        Run retry = ops("dead-letters", "retry", NotificationsApplication.NAME, letter.get("deadLetterId").asString());
        assertThat(retry.exit()).as(retry.err()).isZero();
        assertThat(retry.out()).contains("retried");
        await().atMost(Duration.ofSeconds(30)).until(() -> promptsAbout(couple.b(), checkIn) == 1);

        Run again = ops("dead-letters", "retry", NotificationsApplication.NAME, letter.get("deadLetterId").asString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("FAILED_PRECONDITION").contains("retried already");
        assertThat(promptsAbout(couple.b(), checkIn)).isEqualTo(1);
    }

    @Test
    void processorsAndTheAuditLogReadAsTablesAndAsJson() {
        Run table = ops("processors", JournalApplication.NAME);
        assertThat(table.exit()).isZero();
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("SERVICE").contains("PROCESSOR", "POSITION", "LAG", "STATE");
        assertThat(table.out()).contains("timeline").contains("integration-publisher");

        Run json = ops("processors", "--json");
        assertThat(json.jsonLines()).extracting(line -> line.get("service").asString())
                .containsExactly("journal-service", "plans-service", "notifications-service", "care-service");

        Run audit = ops("audit", JournalApplication.NAME, "--limit", "5");
        assertThat(audit.out()).contains("ListProcessors").contains(LocalIdentities.shared().personIdOf(operatorSubject)).doesNotContain("olive-");
    }

    @Test
    void exitCodesTellWhatHappened() {
        assertThat(ops("replay", JournalApplication.NAME, "no-such-processor").exit()).isEqualTo(4);
        assertThat(ops("replay", JournalApplication.NAME).exit()).isEqualTo(2);
        assertThat(ops("processors", "billing-service").exit()).isEqualTo(2);
        assertThat(ops("export").exit()).isEqualTo(2);
        assertThat(tandem("not a token", "ops", "processors").exit()).isEqualTo(3);
    }

    @Test
    void aPartnerGetsPermissionDeniedFromEveryOpsCommand() {
        String partner = tandem.issuer.issue("jo-" + GatewayClient.key(), Duration.ofMinutes(5));
        List<String[]> commands = List.of(
                new String[] {"ops", "processors"},
                new String[] {"ops", "replay", JournalApplication.NAME, "timeline"},
                new String[] {"ops", "replay", "--attach", JournalApplication.NAME, "timeline"},
                new String[] {"ops", "dead-letters", "list"},
                new String[] {"ops", "dead-letters", "retry", JournalApplication.NAME, "some-id"},
                new String[] {"ops", "dead-letters", "discard", JournalApplication.NAME, "some-id"},
                new String[] {"ops", "export", "--couple", UUID.randomUUID().toString()},
                new String[] {"ops", "audit"});
        for (String[] command : commands) {
            Run run = tandem(partner, command);
            assertThat(run.exit()).as(String.join(" ", command)).isEqualTo(3);
            assertThat(run.err()).as(String.join(" ", command)).contains("PERMISSION_DENIED");
        }
    }
}
