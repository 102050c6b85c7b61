package app.tandem.devstack;

import app.tandem.api.v1.AmendCheckInRequest;
import app.tandem.api.v1.BoundaryAppliesTo;
import app.tandem.api.v1.BoundaryCategory;
import app.tandem.api.v1.Consent;
import app.tandem.api.v1.ConversationIntention;
import app.tandem.api.v1.ConversationPreparation;
import app.tandem.api.v1.ConsentPurpose;
import app.tandem.api.v1.CreateClientInvitationRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.DiscloseLapseRequest;
import app.tandem.api.v1.DisclosureScope;
import app.tandem.api.v1.EditSafetyPlanSectionRequest;
import app.tandem.api.v1.ExpressNeedRequest;
import app.tandem.api.v1.ExportMyDataRequest;
import app.tandem.api.v1.GoalKind;
import app.tandem.api.v1.ListBoundariesRequest;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.ListRelapseResponseTasksRequest;
import app.tandem.api.v1.NotificationKind;
import app.tandem.api.v1.NeedKind;
import app.tandem.api.v1.NotificationPreferences;
import app.tandem.api.v1.PrepareConsentRequest;
import app.tandem.api.v1.PrepareConversationRequest;
import app.tandem.api.v1.PrivacyServiceGrpc;
import app.tandem.api.v1.ProposeBoundaryRequest;
import app.tandem.api.v1.RecordVictoryRequest;
import app.tandem.api.v1.RecordWeeklyReviewRequest;
import app.tandem.api.v1.RequestSupportRequest;
import app.tandem.api.v1.RespondToBoundaryRequest;
import app.tandem.api.v1.Role;
import app.tandem.api.v1.SafetyPlanSection;
import app.tandem.api.v1.SetGoalRequest;
import app.tandem.api.v1.SignConsentRequest;
import app.tandem.api.v1.VictoryKind;
import app.tandem.api.v1.Visibility;
import app.tandem.api.v1.WeeklyReview;
import app.tandem.platform.grpc.Timestamps;
import com.mongodb.client.MongoDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

import static app.tandem.devstack.GatewayClient.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A person who used every feature takes their data from all four services through the gateway: each item they made,
 * answered or received is there with what it says, and nothing of what their partner kept private.
 */
@ExtendWith(EmbeddedTandem.class)
class PersonalDataEndToEndTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    private static TandemUnderTest tandem;

    @BeforeAll
    static void start() {
        tandem = EmbeddedTandem.get();
    }

    @Test
    void aPersonTakesEverythingTheyGaveAndReceivedAndNothingTheirPartnerKeptPrivate() throws Exception {
        GatewayClient alex = tandem.person("alex");
        GatewayClient sam = tandem.person("sam");
        GatewayClient dana = tandem.withRoles("dana", Set.of(Role.ROLE_COUNSELOR), "clinic-north");
        CreateCoupleResponse couple = alex.createCouple();
        String coupleId = couple.getCoupleId();
        sam.join(couple.getInviteCode());
        await().atMost(ARRIVAL).ignoreExceptions().until(() ->
                sam.plans().listBoundaries(ListBoundariesRequest.newBuilder().setCoupleId(coupleId).build()) != null);

        // what sam keeps to themself
        String samsMarker = "sam-only-" + key();
        String samsPrivateCheckIn = sam.checkIn(coupleId, Visibility.PRIVATE, samsMarker);
        String samsPlanItem = "sam-private-item-" + key();
        sam.plans().editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId)
                .setSection(SafetyPlanSection.newBuilder().addCopingStrategies("sam's shared strategy"))
                .setPrivateItems(SafetyPlanSection.newBuilder().addWarningSigns(samsPlanItem)).build());

        String samsPreparation = "sam-prepares-" + key();
        sam.plans().prepareConversation(preparation(coupleId, samsPreparation));
        String samsVictory = "sam-private-victory-" + key();
        sam.plans().recordVictory(victory(coupleId, samsVictory, Visibility.PRIVATE));

        // everything alex does
        String privateCheckIn = alex.checkIn(coupleId, Visibility.PRIVATE, "alex, alone");
        String sharedCheckIn = alex.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER, "alex, for sam");
        alex.journal().amendCheckIn(AmendCheckInRequest.newBuilder().setIdempotencyKey(key()).setEntryId(sharedCheckIn).setMood(5)
                .setCravingIntensity(1).setNote("alex, for sam, amended").setVisibility(Visibility.SHARED_WITH_PARTNER).build());
        String review = alex.journal().recordWeeklyReview(RecordWeeklyReviewRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(coupleId).setReview(WeeklyReview.newBuilder().setConfidence(3)).setNote("alex's week")
                .setVisibility(Visibility.PRIVATE).build()).getEntryId();
        alex.journal().setGoal(SetGoalRequest.newBuilder().setIdempotencyKey(key()).setKind(GoalKind.ABSTINENCE).build());
        String lapse = alex.journal().discloseLapse(DiscloseLapseRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId)
                .build()).getLapseId();
        String support = alex.journal().requestSupport(RequestSupportRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId)
                .build()).getRequestId();
        String alexsBoundary = alex.plans().proposeBoundary(proposal(coupleId, "alex asks: no drinking at home")).getBoundaryId();
        String samsBoundary = sam.plans().proposeBoundary(proposal(coupleId, "sam asks: talk first")).getBoundaryId();
        alex.plans().acceptBoundary(RespondToBoundaryRequest.newBuilder().setIdempotencyKey(key()).setBoundaryId(samsBoundary)
                .setVersion(1).build());
        alex.plans().editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId)
                .setSection(SafetyPlanSection.newBuilder().addCopingStrategies("alex walks round the block"))
                .setPrivateItems(SafetyPlanSection.newBuilder().addReasonsForRecovery("alex's own reason")).build());
        alex.notifications().setPreferences(NotificationPreferences.newBuilder().setDailyCap(50).setEmail("alex@example.org").build());
        String conversation = alex.plans().prepareConversation(preparation(coupleId, "alex wants to say sorry")).getConversationId();
        String victory = alex.plans().recordVictory(victory(coupleId, "alex's own victory", Visibility.SHARED_WITH_PARTNER)).getVictoryId();
        String need = alex.plans().expressNeed(ExpressNeedRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId)
                .setKind(NeedKind.NEED_FOR_MYSELF).setText("alex needs an evening off").build()).getNeedId();
        sam.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER, "sam, for alex");
        Consent consent = consent(alex, dana);

        await().atMost(ARRIVAL).untilAsserted(() -> assertThat(alex.plans().listRelapseResponseTasks(ListRelapseResponseTasksRequest
                .newBuilder().setCoupleId(coupleId).build()).getTasksList()).as(() -> "relapse responses stored: " + stored("plans-service",
                "relapse_task_lists") + ", lapses: " + stored("plans-service", "couple_lapses"))
                .anyMatch(task -> task.getLapseId().equals(lapse)));
        await().atMost(ARRIVAL).until(() -> alex.notifications().listNotifications(ListNotificationsRequest.newBuilder().build())
                .getNotificationsList().stream().anyMatch(n -> n.getKind() == NotificationKind.PARTNER_CHECKED_IN));

        ObjectNode document = PersonalDataDocument.of(tandem.gateway, alex.credentials());
        JsonNode services = document.get("services");

        JsonNode journal = services.get("journal-service");
        assertThat(item(journal, "check-in", privateCheckIn).get("note").asString()).isEqualTo("alex, alone");
        JsonNode amended = item(journal, "check-in", sharedCheckIn);
        assertThat(amended.get("note").asString()).isEqualTo("alex, for sam, amended");
        assertThat(amended.get("version").asInt()).isEqualTo(2);
        assertThat(amended.get("history").get(0).get("note").asString()).as("the version the amendment replaced").isEqualTo("alex, for sam");
        assertThat(item(journal, "weekly-review", review).get("note").asString()).isEqualTo("alex's week");
        assertThat(items(journal, "goal")).anySatisfy(goal -> assertThat(goal.get("fields").get("kind").asString()).isEqualTo("ABSTINENCE"));
        assertThat(item(journal, "lapse-disclosure", lapse).get("disclosedToCouple").asString()).isEqualTo(coupleId);
        assertThat(item(journal, "support-request", support).get("coupleId").asString()).isEqualTo(coupleId);
        assertThat(item(journal, "couple", coupleId).get("founder").asBoolean()).isTrue();

        JsonNode plans = services.get("plans-service");
        assertThat(item(plans, "boundary", alexsBoundary).get("versions").get(0).get("text").asString())
                .isEqualTo("alex asks: no drinking at home");
        JsonNode answered = item(plans, "boundary", samsBoundary).get("versions").get(0);
        assertThat(answered.get("answeredByMe").asBoolean()).isTrue();
        assertThat(answered.has("text")).as("sam's words are sam's").isFalse();
        assertThat(items(plans, "safety-plan-section")).anySatisfy(section -> assertThat(section.get("fields").get("section")
                .get("copingStrategies").toString()).contains("alex walks round the block"));
        assertThat(items(plans, "safety-plan-private-items")).singleElement().satisfies(own ->
                assertThat(own.get("fields").get("items").get("reasonsForRecovery").toString()).contains("alex's own reason"));
        JsonNode prepared = item(plans, "conversation", conversation);
        assertThat(prepared.get("preparedByMe").asBoolean()).isTrue();
        assertThat(prepared.get("preparation").get("points").get(0).asString()).isEqualTo("alex wants to say sorry");
        assertThat(prepared.get("preparation").get("intentions").get(0).asString()).isEqualTo("APOLOGISE");
        JsonNode recorded = item(plans, "victory", victory);
        assertThat(recorded.get("text").asString()).isEqualTo("alex's own victory");
        assertThat(recorded.get("kind").asString()).isEqualTo("OTHER");
        assertThat(item(plans, "need", need).get("text").asString()).isEqualTo("alex needs an evening off");
        assertThat(items(plans, "relapse-task")).isNotEmpty()
                .allSatisfy(task -> assertThat(task.get("fields").get("lapseId").asString()).isEqualTo(lapse));

        JsonNode notifications = services.get("notifications-service");
        assertThat(item(notifications, "preferences", alex.personId).get("email").asString()).isEqualTo("alex@example.org");
        assertThat(items(notifications, "notification"))
                .anySatisfy(n -> assertThat(n.get("fields").get("kind").asString()).isEqualTo("PARTNER_CHECKED_IN"));
        assertThat(item(notifications, "contact-confirmation", "EMAIL").get("address").asString()).isEqualTo("alex@example.org");

        JsonNode care = services.get("care-service");
        JsonNode signed = item(care, "consent", consent.getConsentId() + "/" + consent.getVersion());
        assertThat(signed.get("status").asString()).isEqualTo("IN_FORCE");
        assertThat(signed.get("text").asString()).isEqualTo(consent.getText());
        assertThat(items(care, "client-invitation")).singleElement()
                .satisfies(invitation -> assertThat(invitation.get("fields").get("createdByMe").asBoolean()).isFalse());

        String whole = PersonalDataDocument.toJson(document);
        assertThat(whole).as("sam's private check-in").doesNotContain(samsMarker, samsPrivateCheckIn)
                .as("sam's private plan item").doesNotContain(samsPlanItem)
                .as("sam's own words").doesNotContain("sam asks: talk first", "sam's shared strategy")
                .as("sam's preparation and private victory").doesNotContain(samsPreparation, samsVictory);
    }

    @Test
    void aServiceThatIsNotThereIsNamed() {
        GatewayClient alex = tandem.person("alex");
        assertThatThrownBy(() -> PrivacyServiceGrpc.newBlockingStub(tandem.gateway).withCallCredentials(alex.credentials())
                .exportMyData(ExportMyDataRequest.newBuilder().setService("billing-service").build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("service");
                });
    }

    private static String stored(String service, String collection) {
        List<String> documents = new ArrayList<>();
        tandem.services.get(service).bean(MongoDatabase.class).getCollection(collection).find().forEach(d -> documents.add(d.toJson()));
        return documents.toString();
    }

    private static ProposeBoundaryRequest proposal(String coupleId, String text) {
        return ProposeBoundaryRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId).setText(text)
                .setCategory(BoundaryCategory.BOUNDARY_HOME_AND_VISITORS).setAppliesTo(BoundaryAppliesTo.BOUNDARY_APPLIES_TO_BOTH_OF_US).build();
    }

    private static PrepareConversationRequest preparation(String coupleId, String point) {
        return PrepareConversationRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId).setPreparation(ConversationPreparation
                .newBuilder().addIntentions(ConversationIntention.INTENTION_APOLOGISE).addPoints(point)).build();
    }

    private static RecordVictoryRequest victory(String coupleId, String text, Visibility visibility) {
        return RecordVictoryRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId).setKind(VictoryKind.VICTORY_OTHER)
                .setText(text).setVisibility(visibility).build();
    }

    /** Alex prepares a consent from dana's invitation and signs the text they were shown. */
    private static Consent consent(GatewayClient partner, GatewayClient counselor) {
        String code = counselor.care().createClientInvitation(CreateClientInvitationRequest.newBuilder().setIdempotencyKey(key()).build())
                .getCode();
        Consent draft = partner.consents().prepareConsent(PrepareConsentRequest.newBuilder().setIdempotencyKey(key()).setInvitationCode(code)
                .setPurpose(ConsentPurpose.TREATMENT).addScopes(DisclosureScope.SHARED_CHECK_INS)
                .setExpiresAt(Timestamps.of(tandem.clock.instant().plus(Duration.ofDays(30)))).build());
        return partner.consents().signConsent(SignConsentRequest.newBuilder().setConsentId(draft.getConsentId())
                .setVersion(draft.getVersion()).setTextSha256(draft.getTextSha256()).build());
    }

    private static List<JsonNode> items(JsonNode service, String kind) {
        return StreamSupport.stream(service.spliterator(), false).filter(item -> item.get("kind").asString().equals(kind)).toList();
    }

    /** The fields of the one item of this kind and id. */
    private static JsonNode item(JsonNode service, String kind, String id) {
        List<JsonNode> found = items(service, kind).stream().filter(item -> item.get("id").asString().equals(id)).toList();
        assertThat(found).as(kind + " " + id).hasSize(1);
        return found.get(0).get("fields");
    }
}
