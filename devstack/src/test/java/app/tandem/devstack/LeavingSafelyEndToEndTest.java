package app.tandem.devstack;

import app.tandem.api.v1.AcknowledgeSafetyPlanRequest;
import app.tandem.api.v1.CompareSafetyPlanVersionsRequest;
import app.tandem.api.v1.ConfirmContactRequest;
import app.tandem.api.v1.ContactChannel;
import app.tandem.api.v1.ContactState;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.EditSafetyPlanSectionRequest;
import app.tandem.api.v1.GetCoupleRequest;
import app.tandem.api.v1.GetSafetyPlanHistoryRequest;
import app.tandem.api.v1.GetSafetyPlanRequest;
import app.tandem.api.v1.LeaveCoupleRequest;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationKind;
import app.tandem.api.v1.NotificationPreferences;
import app.tandem.api.v1.SafetyPlan;
import app.tandem.api.v1.SafetyPlanChange;
import app.tandem.api.v1.SafetyPlanContact;
import app.tandem.api.v1.SafetyPlanSection;
import app.tandem.api.v1.Visibility;
import app.tandem.journal.JournalApplication;
import app.tandem.journal.couple.CoupleEvents;
import app.tandem.notifications.NotificationsApplication;
import app.tandem.notifications.channels.Outbox;
import com.mongodb.MongoException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import app.tandem.testkit.RunningService;
import org.axonframework.common.Registration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Leaving safely, through the gateway on the embedded stack: the one who stays keeps their own safety-plan section,
 * crisis lines and contacts; what a person keeps private in the plan never reaches the other; the one who stays
 * learns of the leave in their inbox at their next visit, by its day, and nothing is pushed; and a leave that is
 * stored decides access even when the membership write after it fails.
 */
@ExtendWith(EmbeddedTandem.class)
class LeavingSafelyEndToEndTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    private static TandemUnderTest tandem;

    @BeforeAll
    static void start() {
        tandem = EmbeddedTandem.get();
    }

    /** {@code leaves} starts the couple and {@code stays} joins it. */
    private record Couple(String id, GatewayClient leaves, GatewayClient stays) {
    }

    private static Couple couple() {
        GatewayClient alex = tandem.person("alex");
        GatewayClient sam = tandem.person("sam");
        CreateCoupleResponse created = alex.createCouple();
        sam.join(created.getInviteCode());
        return new Couple(created.getCoupleId(), alex, sam);
    }

    private static SafetyPlan edit(GatewayClient person, String coupleId, SafetyPlanSection section, SafetyPlanSection privateItems) {
        EditSafetyPlanSectionRequest.Builder request = EditSafetyPlanSectionRequest.newBuilder()
                .setIdempotencyKey(GatewayClient.key()).setCoupleId(coupleId);
        if (section != null) {
            request.setSection(section);
        }
        if (privateItems != null) {
            request.setPrivateItems(privateItems);
        }
        return person.plans().editSafetyPlanSection(request.build());
    }

    private static SafetyPlan plan(GatewayClient person, String coupleId) {
        return person.plans().getSafetyPlan(GetSafetyPlanRequest.newBuilder().setCoupleId(coupleId).setLocale("en-GB").build());
    }

    private static void acknowledge(GatewayClient person, String coupleId, int version) {
        person.plans().acknowledgeSafetyPlan(AcknowledgeSafetyPlanRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setCoupleId(coupleId).setVersion(version).build());
    }

    private static void leave(Couple couple, String idempotencyKey) {
        couple.leaves().couples().leaveCouple(LeaveCoupleRequest.newBuilder().setIdempotencyKey(idempotencyKey)
                .setCoupleId(couple.id()).build());
    }

    private static SafetyPlanContact contact(String name, String phone) {
        return SafetyPlanContact.newBuilder().setName(name).setPhone(phone).build();
    }

    @Test
    void privateItemsNeverReachThePartnerAndAfterALeaveTheOneWhoStaysKeepsTheirSectionCrisisLinesAndContacts() {
        Couple couple = couple();
        String secret = "kept-from-partner-" + GatewayClient.key();
        // plans-service learns the couple from the journal's events
        await().atMost(ARRIVAL).until(() -> CounselorEndToEndTest.code(() -> plan(couple.stays(), couple.id())) == Status.Code.OK);
        SafetyPlanSection samsSection = SafetyPlanSection.newBuilder().addWarningSigns("Going quiet")
                .addHelpContacts(contact("Aunt Robin", "01632 960000")).build();
        edit(couple.stays(), couple.id(), samsSection, null);
        edit(couple.leaves(), couple.id(), SafetyPlanSection.newBuilder().addWarningSigns("Skipping meals").build(),
                SafetyPlanSection.newBuilder().addWarningSigns(secret).addHelpContacts(contact("Secret Shelter", "0808 2000 247")).build());
        acknowledge(couple.stays(), couple.id(), 1);
        acknowledge(couple.leaves(), couple.id(), 1);
        // a new draft from the partner, with a private item changed in the same edit
        edit(couple.leaves(), couple.id(), SafetyPlanSection.newBuilder().addWarningSigns("Skipping meals").addWarningSigns("Not sleeping").build(),
                SafetyPlanSection.newBuilder().addWarningSigns(secret).addReasonsForRecovery(secret + " reason").build());

        SafetyPlan samsView = plan(couple.stays(), couple.id());
        var comparison = couple.stays().plans().compareSafetyPlanVersions(CompareSafetyPlanVersionsRequest.newBuilder()
                .setCoupleId(couple.id()).setFromVersion(1).setToVersion(2).build());
        var history = couple.stays().plans().getSafetyPlanHistory(GetSafetyPlanHistoryRequest.newBuilder().setCoupleId(couple.id()).build());
        assertThat(comparison.getChangesList()).extracting(SafetyPlanChange::getPersonId, SafetyPlanChange::getField, SafetyPlanChange::getAddedList)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(couple.leaves().personId, "warning_signs", List.of("Not sleeping")));
        for (String seen : List.of(samsView.toString(), comparison.toString(), history.toString())) {
            assertThat(seen).doesNotContain(secret, "Secret Shelter", "0808 2000 247");
        }
        assertThat(samsView.hasPrivateItems()).isFalse();
        assertThat(plan(couple.leaves(), couple.id()).getPrivateItems().getWarningSignsList()).containsExactly(secret);

        leave(couple, GatewayClient.key());

        await().atMost(ARRIVAL).until(() -> plan(couple.stays(), couple.id()).getCoupleDissolved());
        SafetyPlan kept = plan(couple.stays(), couple.id());
        assertThat(kept.getCrisisLinesList()).isNotEmpty();
        // the draft the partner wrote is theirs alone now: the one who stays reads the agreed version of their section
        assertThat(kept.hasDraft()).isFalse();
        assertThat(kept.getAgreed().getSectionsList()).singleElement().satisfies(s -> {
            assertThat(s.getPersonId()).isEqualTo(couple.stays().personId);
            assertThat(s.getHelpContactsList()).extracting(SafetyPlanContact::getName).containsExactly("Aunt Robin");
        });
        GetSafetyPlanHistoryRequest historyOfThePlan = GetSafetyPlanHistoryRequest.newBuilder().setCoupleId(couple.id()).build();
        SafetyPlan leaverBefore = plan(couple.leaves(), couple.id());
        var leaverHistoryBefore = couple.leaves().plans().getSafetyPlanHistory(historyOfThePlan);
        SafetyPlan edited = edit(couple.stays(), couple.id(), samsSection.toBuilder().addHelpContacts(contact("Women's Aid", "0808 2000 247"))
                .addProfessionals(contact("Dr Okafor", "020 7946 0000")).build(), null);
        assertThat(edited.getDraft().getSectionsList()).singleElement().satisfies(s -> {
            assertThat(s.getHelpContactsList()).extracting(SafetyPlanContact::getName).containsExactly("Aunt Robin", "Women's Aid");
            assertThat(s.getProfessionalsList()).extracting(SafetyPlanContact::getName).containsExactly("Dr Okafor");
        });
        assertThat(plan(couple.stays(), couple.id()).getDraft().getSections(0).getHelpContactsCount()).isEqualTo(2);

        // the one who left keeps only their own section too, sees nothing of the other's, nor that or when they edit
        SafetyPlan leaversView = plan(couple.leaves(), couple.id());
        assertThat(leaversView).isEqualTo(leaverBefore);
        assertThat(couple.leaves().plans().getSafetyPlanHistory(historyOfThePlan)).isEqualTo(leaverHistoryBefore);
        assertThat(leaversView.getDraft().getSectionsList()).extracting(SafetyPlanSection::getPersonId).containsExactly(couple.leaves().personId);
        assertThat(leaversView.toString()).doesNotContain("Aunt Robin", "Women's Aid", "Dr Okafor", "Going quiet");
        SafetyPlan stayerBefore = plan(couple.stays(), couple.id());
        var stayerHistoryBefore = couple.stays().plans().getSafetyPlanHistory(historyOfThePlan);
        edit(couple.leaves(), couple.id(), SafetyPlanSection.newBuilder().addWarningSigns("Skipping meals").addHelpContacts(
                contact("New friend", "01632 960001")).build(), null);
        assertThat(plan(couple.stays(), couple.id())).isEqualTo(stayerBefore);
        assertThat(couple.stays().plans().getSafetyPlanHistory(historyOfThePlan)).isEqualTo(stayerHistoryBefore);
        assertThat(CounselorEndToEndTest.code(() -> acknowledge(couple.stays(), couple.id(), 2))).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void theOneWhoStaysLearnsOfTheLeaveAtTheirNextVisitByItsDayAndNothingIsPushed() throws Exception {
        Couple couple = couple();
        try (WebhookReceiver receiver = new WebhookReceiver(); NotificationWatch stream = couple.stays().watch("")) {
            var sams = couple.stays().notifications();
            sams.setPreferences(NotificationPreferences.newBuilder()
                    .setWebhookUrl(receiver.url()).setWebhookSecret(WebhookReceiver.SECRET).build());
            String code = receiver.codes.poll(30, TimeUnit.SECONDS);
            assertThat(code).as("the challenge reached the receiver").isNotNull();
            assertThat(sams.confirmContact(ConfirmContactRequest.newBuilder().setChannel(ContactChannel.CONTACT_CHANNEL_WEBHOOK)
                    .setCode(code).build()).getWebhookState()).isEqualTo(ContactState.CONTACT_CONFIRMED);

            leave(couple, GatewayClient.key());
            await().atMost(ARRIVAL).until(() -> sams.listNotifications(ListNotificationsRequest.getDefaultInstance()).getNotificationsList()
                    .stream().anyMatch(n -> n.getKind() == NotificationKind.JOURNAL_NO_LONGER_SHARED));
            Notification leaveNotice = sams.listNotifications(ListNotificationsRequest.getDefaultInstance()).getNotificationsList().stream()
                    .filter(n -> n.getKind() == NotificationKind.JOURNAL_NO_LONGER_SHARED).findFirst().orElseThrow();
            assertThat(leaveNotice.getRead()).as("waiting for the next visit").isFalse();
            assertThat(leaveNotice.getUrgent()).isFalse();
            assertThat(leaveNotice.getCreatedAt().getSeconds() % 86_400).as("dated by its day, not its moment").isZero();
            assertThat(leaveNotice.getCreatedAt().getNanos()).isZero();
            assertThat(couple.stays().couples().getCouple(GetCoupleRequest.newBuilder().setCoupleId(couple.id()).build()).getShared())
                    .as("the couple view says so too").isFalse();

            // something pushed to the same person later: once it has come, the stream and the webhook have passed the notice by
            GatewayClient robin = tandem.person("robin");
            robin.join(couple.stays().createCouple().getInviteCode());
            List<Notification> streamed = new ArrayList<>();
            Notification next;
            do {
                next = stream.next(ARRIVAL);
                assertThat(next).as("a notification on the stream within " + ARRIVAL).isNotNull();
                streamed.add(next);
            } while (next.getKind() != NotificationKind.PARTNER_JOINED);
            assertThat(streamed).extracting(Notification::getKind).doesNotContain(NotificationKind.JOURNAL_NO_LONGER_SHARED);
            await().atMost(ARRIVAL).until(() -> receiver.updates.size() == 1);
            assertThat(receiver.updates.get(0)).doesNotContain(leaveNotice.getNotificationId());
            Outbox outbox = tandem.services.get(NotificationsApplication.NAME).bean(Outbox.class);
            assertThat(outbox.status(leaveNotice.getNotificationId(), Outbox.Channel.WEBHOOK)).isNull();
            assertThat(outbox.status(leaveNotice.getNotificationId(), Outbox.Channel.EMAIL)).isNull();
            assertThat(couple.leaves().notifications().listNotifications(ListNotificationsRequest.getDefaultInstance())
                    .getNotificationsList()).extracting(Notification::getKind).doesNotContain(NotificationKind.JOURNAL_NO_LONGER_SHARED);
        }
    }

    @Test
    void whenTheMembershipWriteFailsRightAfterALeaveTheLeaverHasNoAccessAnyway() {
        Couple couple = couple();
        String leaversShared = couple.leaves().checkIn(couple.id(), Visibility.SHARED_WITH_PARTNER, "from the one leaving");
        String staysShared = couple.stays().checkIn(couple.id(), Visibility.SHARED_WITH_PARTNER, "from the one staying");
        await().atMost(ARRIVAL).untilAsserted(() -> assertThat(couple.leaves().timeline(couple.id()).getEntriesList()).hasSize(2));

        // in every replica: the leave may reach either
        List<Registration> failing = new ArrayList<>();
        for (RunningService journal : tandem.replicas.get(JournalApplication.NAME)) {
            EventProcessor directory = journal.bean(EventProcessingConfiguration.class).eventProcessor("couple-directory").orElseThrow();
            failing.add(directory.registerHandlerInterceptor((unitOfWork, chain) -> {
                if (unitOfWork.getMessage().getPayload() instanceof CoupleEvents.PartnerLeft left && left.coupleId().equals(couple.id())) {
                    throw new MongoException("the membership write failed");
                }
                return chain.proceed();
            }));
        }
        String key = GatewayClient.key();
        try {
            assertThatThrownBy(() -> leave(couple, key)).isInstanceOf(StatusRuntimeException.class);
        } finally {
            failing.forEach(Registration::cancel);
        }
        leave(couple, key); // the retry finds the leave stored

        assertThat(couple.leaves().timeline(couple.id()).getEntriesList()).extracting(e -> e.getCheckInId()).containsExactly(leaversShared);
        assertThat(CounselorEndToEndTest.code(() -> couple.leaves().couples().getCouple(GetCoupleRequest.newBuilder().setCoupleId(couple.id()).build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(CounselorEndToEndTest.code(() -> couple.leaves().checkIn(couple.id(), Visibility.SHARED_WITH_PARTNER, "still here?")))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(couple.stays().timeline(couple.id()).getEntriesList()).extracting(e -> e.getCheckInId()).containsExactly(staysShared);
        // the stored leave reached the other services too: the plan is no longer shared with the leaver
        await().atMost(ARRIVAL).until(() -> plan(couple.leaves(), couple.id()).getCoupleDissolved());
        assertThat(couple.leaves().createCouple().getCoupleId()).as("free to start again").isNotEqualTo(couple.id());
    }
}
