package app.tandem.devstack;

import app.tandem.api.v1.ConversationIntention;
import app.tandem.api.v1.ConversationPreparation;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.EditSafetyPlanSectionRequest;
import app.tandem.api.v1.EraseMeRequest;
import app.tandem.api.v1.Erasure;
import app.tandem.api.v1.ErasureServiceGrpc;
import app.tandem.api.v1.ErasureTerms;
import app.tandem.api.v1.ExportMyDataRequest;
import app.tandem.api.v1.ExpressNeedRequest;
import app.tandem.api.v1.GetMyErasureRequest;
import app.tandem.api.v1.GetSafetyPlanRequest;
import app.tandem.api.v1.GoalKind;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.ListSharedGoalsRequest;
import app.tandem.api.v1.NeedKind;
import app.tandem.api.v1.NotificationPreferences;
import app.tandem.api.v1.PrepareConversationRequest;
import app.tandem.api.v1.PrepareErasureRequest;
import app.tandem.api.v1.PrivacyServiceGrpc;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordVictoryRequest;
import app.tandem.api.v1.RecordWeeklyReviewRequest;
import app.tandem.api.v1.SafetyPlanSection;
import app.tandem.api.v1.SetGoalRequest;
import app.tandem.api.v1.Substance;
import app.tandem.api.v1.TimelineEntry;
import app.tandem.api.v1.UseDetails;
import app.tandem.api.v1.VictoryKind;
import app.tandem.api.v1.Visibility;
import app.tandem.api.v1.WeeklyReview;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.RunningService;
import com.mongodb.client.MongoDatabase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A person's erasure through the gateway on the embedded stack: after it, no database of any service (events,
 * snapshots, event pages, tokens, read models) and no Kafka topic holds anything the person wrote or their e-mail
 * address in plaintext, no service keeps their key, so the facts sealed in stored events can never be read again, and
 * the partner's own journal, plan and inbox stay theirs. Before it, nothing stored names the person by their token's
 * subject: only by the opaque id the gateway gives them.
 */
@ExtendWith(EmbeddedTandem.class)
class PersonErasureEndToEndTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    private static TandemUnderTest tandem;

    @BeforeAll
    static void start() {
        tandem = EmbeddedTandem.get();
    }

    @Test
    void anErasedPersonLeavesNothingReadableAnywhereAndThePartnerKeepsTheirOwn() {
        String marker = "m" + GatewayClient.key().replace("-", "");
        String email = "alex." + marker + "@example.org";
        GatewayClient alex = tandem.person("alex");
        GatewayClient sam = tandem.person("sam");
        CreateCoupleResponse created = alex.createCouple();
        sam.join(created.getInviteCode());
        String couple = created.getCoupleId();
        // plans-service learns the couple from the journal's events, a moment after the join: once it answers the one
        // who joined, both are in
        await().atMost(ARRIVAL).ignoreExceptions().until(() ->
                sam.plans().listSharedGoals(ListSharedGoalsRequest.newBuilder().setCoupleId(couple).build()) != null);

        alex.journal().setGoal(SetGoalRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setKind(GoalKind.ABSTINENCE).build());
        for (Visibility visibility : List.of(Visibility.PRIVATE, Visibility.SHARED_WITH_PARTNER)) {
            alex.journal().recordCheckIn(RecordCheckInRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(couple)
                    .setMood(1).setCravingIntensity(9).setUsed(true).setUse(UseDetails.newBuilder().addSubstances(Substance.OPIOIDS).setUsedAlone(true))
                    .setNote("note " + marker).addTags("tag" + marker).setVisibility(visibility).build());
        }
        alex.journal().recordWeeklyReview(RecordWeeklyReviewRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(couple)
                .setReview(WeeklyReview.newBuilder().setLowMood(4).setCraving(4).setConfidence(1)).setNote("review " + marker)
                .setVisibility(Visibility.SHARED_WITH_PARTNER).build());
        alex.plans().proposeBoundary(AuthorizationMatrixTest.proposal(couple).toBuilder().setText("boundary " + marker).build());
        alex.plans().editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(couple)
                .setSection(SafetyPlanSection.newBuilder().addWarningSigns("sign " + marker))
                .setPrivateItems(SafetyPlanSection.newBuilder().addWarningSigns("private " + marker)).build());
        alex.plans().prepareConversation(PrepareConversationRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(couple)
                .setPreparation(ConversationPreparation.newBuilder().addIntentions(ConversationIntention.INTENTION_APOLOGISE)
                        .addPoints("preparation " + marker)).build());
        alex.plans().recordVictory(victory(couple, "victory " + marker).toBuilder().setKind(VictoryKind.VICTORY_CRAVING_RIDDEN_OUT).build());
        alex.plans().expressNeed(ExpressNeedRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(couple)
                .setKind(NeedKind.NEED_FOR_MYSELF).setText("need " + marker).build());
        alex.plans().proposeSharedGoal(AuthorizationMatrixTest.goal(couple).toBuilder().setTitle("goal " + marker).build());
        alex.notifications().setPreferences(NotificationPreferences.newBuilder().setEmail(email).setCravingAlertThreshold(8).build());

        sam.checkIn(couple, Visibility.SHARED_WITH_PARTNER, "sam's own day");
        String samsVictory = sam.plans().recordVictory(victory(couple, "sam's own victory")).getVictoryId();
        sam.plans().editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(couple)
                .setSection(SafetyPlanSection.newBuilder().addWarningSigns("sam goes quiet")).build());
        await().atMost(ARRIVAL).until(() -> sam.notifications().listNotifications(ListNotificationsRequest.getDefaultInstance())
                .getNotificationsCount() >= 2);
        // the scan reaches every copy: the person's id, which the event store and topics keep, is found in it; the
        // subject of their token (an e-mail address, for many identity providers) is nowhere
        String beforeErasure = everythingStored();
        assertThat(beforeErasure).contains(alex.personId.toLowerCase(Locale.ROOT)).doesNotContain(alex.subject.toLowerCase(Locale.ROOT));

        var erasure = ErasureServiceGrpc.newBlockingStub(tandem.gateway).withCallCredentials(alex.credentials());
        ErasureTerms terms = erasure.prepareErasure(PrepareErasureRequest.getDefaultInstance());
        Erasure started = erasure.eraseMe(EraseMeRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setTextSha256(terms.getTextSha256()).build());
        await().atMost(ARRIVAL).until(() -> erasure.getMyErasure(GetMyErasureRequest.getDefaultInstance()).getState() == Erasure.State.COMPLETED);
        Erasure completed = erasure.getMyErasure(GetMyErasureRequest.getDefaultInstance());

        assertThat(completed.getErasureId()).isEqualTo(started.getErasureId());
        assertThat(completed.getErasedByList()).containsExactlyInAnyOrderElementsOf(tandem.services.keySet());
        String stored = everythingStored();
        String aboutAlex = stored.lines().filter(line -> line.contains(alex.personId.toLowerCase(Locale.ROOT)))
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(stored).as("what alex wrote, in any database or topic").doesNotContain(marker);
        assertThat(stored).as("alex's e-mail address").doesNotContain(email.toLowerCase(Locale.ROOT));
        assertThat(aboutAlex).as("what alex told about themselves stays sealed in the journal's events")
                .doesNotContain("\"mood\":1", "\"cravingintensity\":9", "opioids", "\"lowmood\":4")
                .as("nor in the plans' events: a victory's kind, what a conversation was prepared for")
                .doesNotContain("craving_ridden_out", "apologise");
        for (RunningService service : tandem.services.values()) {
            assertThat(database(service).getCollection("person_keys").countDocuments(new Document("_id", alex.personId)))
                    .as("%s keeps no key that opens what alex told", service.name()).isZero();
        }

        List<TimelineEntry> samsTimeline = sam.timeline(couple).getEntriesList();
        assertThat(samsTimeline).extracting(TimelineEntry::getAuthorPersonId).containsOnly(sam.personId);
        assertThat(samsTimeline).extracting(TimelineEntry::getNote).contains("sam's own day");
        var samsPlan = sam.plans().getSafetyPlan(GetSafetyPlanRequest.newBuilder().setCoupleId(couple).build());
        assertThat(samsPlan.getCoupleDissolved()).as("the erasure left the couple").isTrue();
        assertThat(samsPlan.getDraft().getSectionsList())
                .singleElement().satisfies(section -> assertThat(section.getWarningSignsList()).containsExactly("sam goes quiet"));
        // and keeps writing it: the partner's erasure takes nothing of sam's plan away
        assertThat(sam.plans().editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setCoupleId(couple).setSection(SafetyPlanSection.newBuilder().addWarningSigns("sam goes quiet").addWarningSigns("sam stops eating"))
                .build()).getDraft().getSectionsList()).singleElement()
                .satisfies(section -> assertThat(section.getWarningSignsList()).containsExactly("sam goes quiet", "sam stops eating"));
        assertThat(sam.notifications().listNotifications(ListNotificationsRequest.getDefaultInstance()).getNotificationsCount()).isPositive();
        assertThat(PrivacyServiceGrpc.newBlockingStub(tandem.gateway).withCallCredentials(sam.credentials())
                .exportMyData(ExportMyDataRequest.newBuilder().setService("plans-service").build()))
                .toIterable().filteredOn(item -> item.getId().equals(samsVictory)).singleElement()
                .satisfies(item -> assertThat(item.getJson()).as("sam's victory, still sam's to read").contains("sam's own victory"));
    }

    private static RecordVictoryRequest victory(String couple, String text) {
        return RecordVictoryRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(couple).setKind(VictoryKind.VICTORY_OTHER)
                .setText(text).setVisibility(Visibility.SHARED_WITH_PARTNER).build();
    }

    /**
     * Every value of every document of every service's database and every record of every topic, as lower-case text:
     * one line per document or record (the other tests' data included).
     */
    private static String everythingStored() {
        StringBuilder text = new StringBuilder();
        for (RunningService service : tandem.services.values()) {
            MongoDatabase database = database(service);
            for (String collection : database.listCollectionNames()) {
                for (Document document : database.getCollection(collection).find()) {
                    StringBuilder values = new StringBuilder();
                    appendValues(document, values);
                    text.append(values.toString().replace('\n', ' ')).append('\n');
                }
            }
        }
        for (byte[] record : everyRecord()) {
            text.append(new String(record, StandardCharsets.UTF_8).replace('\n', ' ')).append('\n');
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }

    private static void appendValues(Object value, StringBuilder text) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                text.append('"').append(k).append("\":");
                appendValues(v, text);
            });
        } else if (value instanceof List<?> list) {
            list.forEach(v -> appendValues(v, text));
        } else if (value instanceof Binary binary) {
            text.append(new String(binary.getData(), StandardCharsets.UTF_8)).append(' ');
        } else if (value instanceof byte[] bytes) {
            text.append(new String(bytes, StandardCharsets.UTF_8)).append(' ');
        } else if (value != null) {
            text.append(value).append(' ');
        }
    }

    private static List<byte[]> everyRecord() {
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedStack.shared().kafkaBootstrapServers());
        List<byte[]> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.listTopics().forEach((topic, infos) -> infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition()))));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    byte[] key = record.key() == null ? new byte[0] : record.key();
                    byte[] value = record.value() == null ? new byte[0] : record.value();
                    byte[] both = java.util.Arrays.copyOf(key, key.length + 1 + value.length);
                    both[key.length] = ' ';
                    System.arraycopy(value, 0, both, key.length + 1, value.length);
                    records.add(both);
                }
            }
        }
        return records;
    }

    private static MongoDatabase database(RunningService service) {
        return service.bean(MongoDatabase.class);
    }

}
