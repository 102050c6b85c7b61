package app.tandem.devstack;

import app.tandem.api.v1.AmendCheckInRequest;
import app.tandem.api.v1.CareEvent;
import app.tandem.api.v1.CareItemKind;
import app.tandem.api.v1.ClientSummary;
import app.tandem.api.v1.Consent;
import app.tandem.api.v1.ConsentPurpose;
import app.tandem.api.v1.ConsentStatus;
import app.tandem.api.v1.CreateClientInvitationRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.DiscloseLapseRequest;
import app.tandem.api.v1.Disclosure;
import app.tandem.api.v1.DisclosureScope;
import app.tandem.api.v1.EndTreatmentRequest;
import app.tandem.api.v1.GetClientSummaryRequest;
import app.tandem.api.v1.ListClientsRequest;
import app.tandem.api.v1.ListConsentsRequest;
import app.tandem.api.v1.ListDisclosuresRequest;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.NotificationKind;
import app.tandem.api.v1.PrepareConsentRequest;
import app.tandem.api.v1.RevokeConsentRequest;
import app.tandem.api.v1.Role;
import app.tandem.api.v1.SignConsentRequest;
import app.tandem.api.v1.Substance;
import app.tandem.api.v1.UseDetails;
import app.tandem.api.v1.Visibility;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A counselor's part through the gateway on the embedded stack: a partner consents to a counselor for some kinds of
 * their own items, the counselor's stream receives exactly those, a revocation stops it at once, a counselor without
 * consent gets nothing, and the partner finds every disclosure once.
 */
@ExtendWith(EmbeddedTandem.class)
class CounselorEndToEndTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    private static TandemUnderTest tandem;

    @BeforeAll
    static void start() {
        tandem = EmbeddedTandem.get();
        // the services' clock runs ahead of the event store's, as after the scenarios that live days: a consent's "since"
        // must still compare like with like
        tandem.clock.advance(Duration.ofDays(2));
    }

    private static GatewayClient counselor(String name, String organisation) {
        return tandem.withRoles(name, Set.of(Role.ROLE_COUNSELOR), organisation);
    }

    /** The partner prepares a consent from the counselor's invitation, reads its text and signs what they read. */
    static Consent consent(GatewayClient partner, GatewayClient counselor, DisclosureScope... scopes) throws Exception {
        return consent(partner, counselor, Duration.ofDays(90), scopes);
    }

    static Consent consent(GatewayClient partner, GatewayClient counselor, Duration lasting, DisclosureScope... scopes) throws Exception {
        String code = counselor.care().createClientInvitation(CreateClientInvitationRequest.newBuilder()
                .setIdempotencyKey(GatewayClient.key()).build()).getCode();
        Consent draft = partner.consents().prepareConsent(PrepareConsentRequest.newBuilder()
                .setIdempotencyKey(GatewayClient.key()).setInvitationCode(code).setPurpose(ConsentPurpose.TREATMENT)
                .addAllScopes(List.of(scopes)).setExpiresAt(Timestamps.of(tandem.clock.instant().plus(lasting))).build());
        assertThat(draft.getStatus()).isEqualTo(ConsentStatus.PREPARED);
        String read = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(draft.getText().getBytes(StandardCharsets.UTF_8)));
        assertThat(read).isEqualTo(draft.getTextSha256());
        return partner.consents().signConsent(SignConsentRequest.newBuilder().setConsentId(draft.getConsentId())
                .setVersion(draft.getVersion()).setTextSha256(read).build());
    }

    /** {@code a} starts a couple and {@code b} joins it. */
    private static String couple(GatewayClient a, GatewayClient b) {
        CreateCoupleResponse couple = a.createCouple();
        b.join(couple.getInviteCode());
        return couple.getCoupleId();
    }

    private static CareEvent next(StreamWatch<CareEvent> stream) throws InterruptedException {
        CareEvent event = stream.next(ARRIVAL);
        assertThat(event).as("a care event within " + ARRIVAL).isNotNull();
        return event;
    }

    @Test
    void aCounselorSeesExactlyWhatAPartnerConsentedToUntilTheyRevoke() throws Exception {
        GatewayClient alex = tandem.person("alex");
        GatewayClient sam = tandem.person("sam");
        String coupleId = couple(alex, sam);
        GatewayClient dana = counselor("dana", "clinic-north");
        GatewayClient eve = counselor("eve", "clinic-south");

        Consent consent = consent(alex, dana, DisclosureScope.SHARED_CHECK_INS, DisclosureScope.LAPSES);
        assertThat(consent.getStatus()).isEqualTo(ConsentStatus.IN_FORCE);
        assertThat(consent.getText()).contains(alex.personId, dana.personId, "clinic-north", "42 CFR part 2");
        assertThat(consent.getOrganisation()).as("from the counselor's token").isEqualTo("clinic-north");
        assertThat(dana.care().listClients(ListClientsRequest.getDefaultInstance()).getClientsList())
                .extracting(client -> client.getPersonId()).containsExactly(alex.personId);
        assertThat(sam.consents().listConsents(ListConsentsRequest.getDefaultInstance()).getConsentsList())
                .as("one partner's consent is never shown to the other").isEmpty();

        try (StreamWatch<CareEvent> danaStream = dana.watchCare(""); StreamWatch<CareEvent> eveStream = eve.watchCare("")) {
            // in the couple's order: what must not reach the counselor comes first, so the items that do prove it was passed over
            alex.checkIn(coupleId, Visibility.PRIVATE, "only mine");
            sam.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER, "sam's, for alex");
            String shared = alex.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER, "for sam, not for the counselor");
            String lapse = alex.journal().discloseLapse(DiscloseLapseRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                    .setCoupleId(coupleId).setUse(UseDetails.newBuilder().addSubstances(Substance.ALCOHOL).setNaloxoneAtHand(true))
                    .build()).getLapseId();

            CareEvent checkIn = next(danaStream);
            assertThat(checkIn.getKind()).isEqualTo(CareItemKind.CARE_CHECK_IN);
            assertThat(checkIn.getItemId()).isEqualTo(shared);
            assertThat(checkIn.getClientPersonId()).isEqualTo(alex.personId);
            assertThat(checkIn.getEntry().getMood()).isEqualTo(3);
            assertThat(checkIn.getEntry().getNote()).as("notes were not consented to").isEmpty();
            assertThat(checkIn.getNotice()).contains("42 CFR part 2");
            CareEvent disclosedLapse = next(danaStream);
            assertThat(disclosedLapse.getKind()).isEqualTo(CareItemKind.CARE_LAPSE);
            assertThat(disclosedLapse.getItemId()).isEqualTo(lapse);
            assertThat(disclosedLapse.getLapse().getSubstancesList()).containsExactly(Substance.ALCOHOL);
            assertThat(disclosedLapse.getLapse().getNaloxoneAtHand()).isTrue();

            ClientSummary summary = dana.care().getClientSummary(GetClientSummaryRequest.newBuilder().setClientPersonId(alex.personId).build());
            assertThat(summary.getMood().getCount7Days()).as("alex's shared check-in only, never the private one").isEqualTo(1);
            assertThat(summary.getLapses30Days()).isEqualTo(1);
            assertThat(summary.getWeeklyReviewsList()).as("weekly reviews were not consented to").isEmpty();

            // the same counselor at another organisation is not who alex consented to
            GatewayClient danaElsewhere = new GatewayClient(tandem.gateway, dana.subject, BearerToken.of(tandem.issuer.issue(dana.subject,
                    Set.of(Role.ROLE_COUNSELOR), "clinic-south", Duration.ofMinutes(30))));
            assertThat(danaElsewhere.care().listClients(ListClientsRequest.getDefaultInstance()).getClientsList()).isEmpty();
            assertThat(code(() -> danaElsewhere.care().getClientSummary(GetClientSummaryRequest.newBuilder()
                    .setClientPersonId(alex.personId).build()))).isEqualTo(Status.Code.PERMISSION_DENIED);

            // a counselor without consent gets nothing, and learns nothing about alex
            assertThat(eve.care().listClients(ListClientsRequest.getDefaultInstance()).getClientsList()).isEmpty();
            assertThat(code(() -> eve.care().getClientSummary(GetClientSummaryRequest.newBuilder().setClientPersonId(alex.personId).build())))
                    .isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(code(() -> eve.care().endTreatment(EndTreatmentRequest.newBuilder().setClientPersonId(alex.personId).build())))
                    .isEqualTo(Status.Code.PERMISSION_DENIED);

            // alex revokes while dana's stream is open: nothing more reaches dana
            Consent revoked = alex.consents().revokeConsent(RevokeConsentRequest.newBuilder().setConsentId(consent.getConsentId()).build());
            assertThat(revoked.getStatus()).isEqualTo(ConsentStatus.REVOKED);
            alex.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR, "after the revocation");
            alex.journal().discloseLapse(DiscloseLapseRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(coupleId).build());
            // sam consents afterwards: sam's later check-in, behind alex's in the couple's order, shows alex's were passed over
            consent(sam, dana, DisclosureScope.SHARED_CHECK_INS);
            String samsLater = sam.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER, "sam's, after consenting");
            CareEvent afterRevocation = next(danaStream);
            assertThat(afterRevocation.getClientPersonId()).isEqualTo(sam.personId);
            assertThat(afterRevocation.getItemId()).isEqualTo(samsLater);
            assertThat(eveStream.next(Duration.ofMillis(200))).as("eve received nothing at all").isNull();
            assertThat(code(() -> dana.care().getClientSummary(GetClientSummaryRequest.newBuilder().setClientPersonId(alex.personId).build())))
                    .as("past items are no longer readable through Tandem").isEqualTo(Status.Code.PERMISSION_DENIED);
        }

        // a stream opened again from the start no longer carries alex's items
        try (StreamWatch<CareEvent> again = dana.watchCare("")) {
            CareEvent first = next(again);
            assertThat(first.getClientPersonId()).isEqualTo(sam.personId);
        }

        // alex's accounting: every item dana received, once each, and the summary dana read
        List<Disclosure> disclosures = alex.consents().listDisclosures(ListDisclosuresRequest.getDefaultInstance()).getDisclosuresList();
        assertThat(disclosures).extracting(Disclosure::getKind)
                .containsExactlyInAnyOrder(CareItemKind.CARE_CHECK_IN, CareItemKind.CARE_LAPSE, CareItemKind.CARE_SUMMARY);
        assertThat(disclosures).allSatisfy(d -> {
            assertThat(d.getCounselorPersonId()).isEqualTo(dana.personId);
            assertThat(d.getOrganisation()).isEqualTo("clinic-north");
            assertThat(d.getConsentId()).isEqualTo(consent.getConsentId());
            assertThat(d.getPurpose()).isEqualTo(ConsentPurpose.TREATMENT);
        });
        assertThat(disclosures).extracting(Disclosure::getItemId).contains(disclosures.stream()
                .filter(d -> d.getKind() == CareItemKind.CARE_LAPSE).findFirst().orElseThrow().getItemId());
        List<String> items = new ArrayList<>(disclosures.stream().map(Disclosure::getItemId).filter(id -> !id.isEmpty()).toList());
        assertThat(items).doesNotHaveDuplicates().hasSize(2);
        assertThat(sam.consents().listDisclosures(ListDisclosuresRequest.getDefaultInstance()).getDisclosuresList())
                .as("sam sees only their own disclosures").allSatisfy(d -> assertThat(d.getConsentId()).isNotEqualTo(consent.getConsentId()));

        // alex is told the first time dana received their record, and sam is not
        await().atMost(ARRIVAL).untilAsserted(() -> assertThat(alex.notifications().listNotifications(ListNotificationsRequest.getDefaultInstance())
                .getNotificationsList()).extracting(n -> n.getKind()).contains(NotificationKind.COUNSELOR_FIRST_READ));
    }

    @Test
    void aConsentEndsOnItsDateAndThePatientIsToldAhead() throws Exception {
        GatewayClient kim = tandem.person("kim");
        GatewayClient lee = tandem.person("lee");
        couple(kim, lee);
        GatewayClient dana = counselor("dana", "clinic-north");
        consent(kim, dana, Duration.ofSeconds(8), DisclosureScope.SUPPORT_REQUESTS);

        await().atMost(ARRIVAL).untilAsserted(() -> assertThat(kim.notifications().listNotifications(ListNotificationsRequest.getDefaultInstance())
                .getNotificationsList()).extracting(n -> n.getKind()).contains(NotificationKind.CONSENT_EXPIRING));
        assertThat(lee.notifications().listNotifications(ListNotificationsRequest.getDefaultInstance()).getNotificationsList())
                .extracting(n -> n.getKind()).doesNotContain(NotificationKind.CONSENT_EXPIRING);
        await().atMost(ARRIVAL).untilAsserted(() -> assertThat(kim.consents().listConsents(ListConsentsRequest.getDefaultInstance())
                .getConsentsList()).extracting(Consent::getStatus).containsExactly(ConsentStatus.EXPIRED));
        assertThat(dana.care().listClients(ListClientsRequest.getDefaultInstance()).getClientsList()).isEmpty();
        assertThat(code(() -> dana.care().getClientSummary(GetClientSummaryRequest.newBuilder().setClientPersonId(kim.personId).build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void aConsentSignedAgainAfterARevocationDisclosesNothingFromBeforeAndAMarkCountsWhileItStays() throws Exception {
        GatewayClient noor = tandem.person("noor");
        GatewayClient omar = tandem.person("omar");
        String coupleId = couple(noor, omar);
        GatewayClient dana = counselor("dana", "clinic-north");

        Consent first = consent(noor, dana, DisclosureScope.LAPSES);
        // the other partner can neither revoke nor sign it, and is answered as for a consent that does not exist
        assertThat(code(() -> omar.consents().revokeConsent(RevokeConsentRequest.newBuilder().setConsentId(first.getConsentId()).build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED)
                .isEqualTo(code(() -> omar.consents().revokeConsent(RevokeConsentRequest.newBuilder()
                        .setConsentId(java.util.UUID.randomUUID().toString()).build())));
        assertThat(code(() -> omar.consents().signConsent(SignConsentRequest.newBuilder().setConsentId(first.getConsentId())
                .setVersion(first.getVersion()).setTextSha256(first.getTextSha256()).build()))).isEqualTo(Status.Code.PERMISSION_DENIED);

        String marked = noor.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR, "for dana too");
        String unmarked = noor.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR, "for dana, then not");
        try (StreamWatch<CareEvent> stream = dana.watchCare("")) {
            assertThat(next(stream).getItemId()).as("marked for the counselor: disclosed under a consent to lapses").isEqualTo(marked);
            assertThat(next(stream).getItemId()).isEqualTo(unmarked);
        }
        noor.journal().amendCheckIn(AmendCheckInRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setEntryId(unmarked)
                .setMood(2).setCravingIntensity(1).setVisibility(Visibility.SHARED_WITH_PARTNER).build());
        noor.consents().revokeConsent(RevokeConsentRequest.newBuilder().setConsentId(first.getConsentId()).build());
        String between = noor.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR, "while no consent");

        Consent again = consent(noor, dana, DisclosureScope.LAPSES);
        assertThat(again.getConsentId()).isEqualTo(first.getConsentId());
        assertThat(again.getVersion()).isGreaterThan(first.getVersion());
        String after = noor.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR, "after signing again");
        try (StreamWatch<CareEvent> stream = dana.watchCare("")) {
            CareEvent only = next(stream);
            assertThat(only.getItemId()).as("nothing from before the new signature, nor from between").isEqualTo(after);
            assertThat(only.getEntry().getNote()).as("notes were not consented to").isEmpty();
            assertThat(stream.next(Duration.ofMillis(500))).isNull();
        }
        assertThat(List.of(marked, unmarked, between)).doesNotContain(after);
    }

    /** The status a call ends with, OK when it succeeds. */
    static Status.Code code(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
