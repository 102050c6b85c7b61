package app.tandem.devstack;

import app.tandem.api.v1.BoundaryAppliesTo;
import app.tandem.api.v1.BoundaryCategory;
import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.ListProcessorsRequest;
import app.tandem.api.v1.NotificationPreferences;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.api.v1.OperatorServiceGrpc;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.api.v1.ProposeBoundaryRequest;
import app.tandem.api.v1.Role;
import app.tandem.care.CareApplication;
import app.tandem.internal.v1.GetDisclosedLapseRequest;
import app.tandem.internal.v1.GetLastCheckInRequest;
import app.tandem.internal.v1.GetMilestoneRequest;
import app.tandem.internal.v1.GetSharedCheckInRequest;
import app.tandem.internal.v1.JournalCheckInFactsGrpc;
import app.tandem.internal.v1.JournalInternalGrpc;
import app.tandem.internal.v1.JournalLapseFactsGrpc;
import app.tandem.internal.v1.JournalMilestoneFactsGrpc;
import app.tandem.journal.JournalApplication;
import app.tandem.notifications.NotificationsApplication;
import app.tandem.plans.PlansApplication;
import app.tandem.testkit.LocalIdentities;
import app.tandem.testkit.RunningService;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.platform.security.Caller;
import app.tandem.platform.security.CallerAssertions;
import com.mongodb.client.MongoDatabase;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each service's own port, reached without the gateway: whoever gets there without an assertion the service trusts,
 * for itself and still valid, is refused and changes nothing; a service speaks only for itself and only where it may.
 */
@ExtendWith(EmbeddedTandem.class)
class ServiceTrustBoundaryTest {

    private static TandemUnderTest tandem;
    private static GatewayClient alex;

    @BeforeAll
    static void start() {
        tandem = EmbeddedTandem.get();
        alex = tandem.person("alex");
    }

    private static RunningService service(String name) {
        return tandem.services.get(name);
    }

    /** The RPC each service's write below calls. */
    private static final Map<String, String> WRITTEN = Map.of(
            JournalApplication.NAME, CoupleServiceGrpc.getCreateCoupleMethod().getFullMethodName(),
            PlansApplication.NAME, PlansServiceGrpc.getProposeBoundaryMethod().getFullMethodName(),
            NotificationsApplication.NAME, NotificationServiceGrpc.getSetPreferencesMethod().getFullMethodName());

    /** A write each service would store, sent with the given credentials. */
    private static Map<String, Consumer<CallCredentials>> writes() {
        Map<String, Consumer<CallCredentials>> writes = new LinkedHashMap<>();
        writes.put(JournalApplication.NAME, credentials -> CoupleServiceGrpc.newBlockingStub(service(JournalApplication.NAME).channel())
                .withCallCredentials(credentials).createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).build()));
        writes.put(PlansApplication.NAME, credentials -> PlansServiceGrpc.newBlockingStub(service(PlansApplication.NAME).channel())
                .withCallCredentials(credentials).proposeBoundary(ProposeBoundaryRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString())
                        .setCoupleId(UUID.randomUUID().toString()).setText("No secrets").setCategory(BoundaryCategory.BOUNDARY_COMMUNICATION)
                        .setAppliesTo(BoundaryAppliesTo.BOUNDARY_APPLIES_TO_BOTH_OF_US).build()));
        writes.put(NotificationsApplication.NAME, credentials -> NotificationServiceGrpc.newBlockingStub(service(NotificationsApplication.NAME).channel())
                .withCallCredentials(credentials).setPreferences(NotificationPreferences.newBuilder()
                        .setWebhookUrl("https://attacker.example/hook").setWebhookSecret("0123456789abcdef0123").build()));
        return writes;
    }

    /** Everything a service keeps that these writes would add to. */
    private static long stored(String name) {
        MongoDatabase database = service(name).bean(MongoDatabase.class);
        return database.getCollection(MongoEventStorageEngine.EVENTS).countDocuments()
                + database.getCollection("notification_preferences").countDocuments();
    }

    private static CallCredentials header(String assertion) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo requestInfo, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(CallerAssertions.HEADER, assertion);
                applier.apply(headers);
            }
        };
    }

    private static Caller alexAsPartner() {
        return Caller.person(alex.personId, Set.of(Role.ROLE_PARTNER), "", UUID.randomUUID().toString());
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    @Test
    void withoutAValidAssertionForItselfEveryServiceRefusesAndStoresNothing() {
        CallerAssertions gateway = LocalIdentities.shared().assertionsOf(LocalIdentities.GATEWAY);
        CallerAssertions impostor = new CallerAssertions(LocalIdentities.GATEWAY, randomSecret(), Clock.systemUTC());
        CallerAssertions notifications = LocalIdentities.shared().assertionsOf(NotificationsApplication.NAME);
        String personsOwnToken = tandem.issuer.issue(alex.subject, Duration.ofMinutes(30));
        CallCredentials none = new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo requestInfo, Executor executor, MetadataApplier applier) {
                applier.apply(new Metadata());
            }
        };
        writes().forEach((name, write) -> {
            String other = name.equals(JournalApplication.NAME) ? PlansApplication.NAME : JournalApplication.NAME;
            Map<String, CallCredentials> forged = new LinkedHashMap<>();
            forged.put("no assertion", none);
            forged.put("the person's own token, as the gateway takes it", BearerToken.of(personsOwnToken));
            forged.put("a person named in a header of one's own", header(alex.personId));
            String rpc = WRITTEN.get(name);
            forged.put("an assertion signed with a key of one's own", header(impostor.sign(alexAsPartner(), name, rpc)));
            forged.put("an expired assertion", header(gateway.sign(alexAsPartner(), name, rpc, Instant.now().minusSeconds(120), Duration.ofSeconds(30))));
            forged.put("an assertion for another service", header(gateway.sign(alexAsPartner(), other, rpc)));
            forged.put("an assertion for another call of the service", header(gateway.sign(alexAsPartner(), name, "tandem.api.v1.OperatorService/ListProcessors")));
            forged.put("another service speaking for a person", header(notifications.sign(alexAsPartner(), name, rpc)));
            long before = stored(name);
            forged.forEach((how, credentials) -> assertThatThrownBy(() -> write.accept(credentials)).as(name + ", " + how)
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED)));
            assertThat(stored(name)).as(name + " stored nothing").isEqualTo(before);
        });
    }

    @Test
    void aServiceAsksAnotherOnlyWhatItsRoleAllowsAndAPersonNothingInternal() {
        var journal = JournalInternalGrpc.newBlockingStub(service(JournalApplication.NAME).channel());
        GetLastCheckInRequest question = GetLastCheckInRequest.newBuilder().setPersonId(alex.personId).build();

        assertThat(journal.withCallCredentials(LocalIdentities.shared().assertionsOf(NotificationsApplication.NAME)
                .asService(JournalApplication.NAME)).getLastCheckIn(question).hasRecordedAt()).isFalse();
        assertThatThrownBy(() -> journal.withCallCredentials(LocalIdentities.shared().assertionsOf(PlansApplication.NAME)
                .asService(JournalApplication.NAME)).getLastCheckIn(question))
                .as("a service this API does not name").isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> journal.withCallCredentials(service(JournalApplication.NAME).asPartner(alex.personId)).getLastCheckIn(question))
                .as("a person").isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> OperatorServiceGrpc.newBlockingStub(service(JournalApplication.NAME).channel())
                .withCallCredentials(service(JournalApplication.NAME).asPartner(alex.personId))
                .listProcessors(ListProcessorsRequest.newBuilder().setService(JournalApplication.NAME).build()))
                .as("a partner at the operators' API").isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    /**
     * The facts behind the journal's events go to exactly the services each API names, never to another service or a
     * person; an id the journal does not know gets NOT_FOUND, so asking tells a named caller no more than the event did.
     */
    @Test
    void eachFactOfTheJournalGoesOnlyToTheServicesThatNeedIt() {
        var channel = service(JournalApplication.NAME).channel();
        String unknown = UUID.randomUUID().toString();
        Map<String, Consumer<CallCredentials>> asks = new LinkedHashMap<>();
        asks.put("JournalCheckInFacts", credentials -> JournalCheckInFactsGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                .getSharedCheckIn(GetSharedCheckInRequest.newBuilder().setCheckInId(unknown).build()));
        asks.put("JournalLapseFacts", credentials -> JournalLapseFactsGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                .getDisclosedLapse(GetDisclosedLapseRequest.newBuilder().setLapseId(unknown).build()));
        asks.put("JournalMilestoneFacts", credentials -> JournalMilestoneFactsGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                .getMilestone(GetMilestoneRequest.newBuilder().setPersonId(alex.personId).setMilestoneId(unknown).build()));
        Map<String, Set<String>> callers = Map.of(
                "JournalCheckInFacts", Set.of(PlansApplication.NAME, NotificationsApplication.NAME),
                "JournalLapseFacts", Set.of(PlansApplication.NAME, CareApplication.NAME),
                "JournalMilestoneFacts", Set.of(NotificationsApplication.NAME, CareApplication.NAME));
        asks.forEach((api, ask) -> {
            for (String caller : java.util.List.of(PlansApplication.NAME, NotificationsApplication.NAME, CareApplication.NAME)) {
                CallCredentials credentials = LocalIdentities.shared().assertionsOf(caller).asService(JournalApplication.NAME);
                Status.Code expected = callers.get(api).contains(caller) ? Status.Code.NOT_FOUND : Status.Code.PERMISSION_DENIED;
                assertThatThrownBy(() -> ask.accept(credentials)).as(api + " asked by " + caller)
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(expected));
            }
            assertThatThrownBy(() -> ask.accept(service(JournalApplication.NAME).asPartner(alex.personId))).as(api + " asked by a person")
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
            assertThatThrownBy(() -> ask.accept(BearerToken.of(tandem.issuer.issue("a person", Duration.ofMinutes(30))))).as(api + " with a person's own token")
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        });
    }

    @Test
    void theGatewayForwardsNoHeaderOfTheClientsToTheServices() {
        // a client that sends its own assertion next to a valid token is still only who its token says
        Metadata smuggled = new Metadata();
        smuggled.put(CallerAssertions.HEADER, LocalIdentities.shared().assertionsOf(LocalIdentities.GATEWAY)
                .sign(Caller.person("someone-else", Set.of(Role.ROLE_PARTNER), "", "x"), JournalApplication.NAME,
                        CoupleServiceGrpc.getCreateCoupleMethod().getFullMethodName()));
        var created = CoupleServiceGrpc.newBlockingStub(tandem.gateway).withCallCredentials(alex.credentials())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(smuggled))
                .createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).build());
        assertThat(alex.couples().getCouple(app.tandem.api.v1.GetCoupleRequest.newBuilder().setCoupleId(created.getCoupleId()).build())
                .getPartnerPersonIdsList()).containsExactly(alex.personId);
    }
}
