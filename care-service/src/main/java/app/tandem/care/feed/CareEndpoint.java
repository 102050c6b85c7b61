package app.tandem.care.feed;

import app.tandem.api.v1.CareEvent;
import app.tandem.api.v1.CareServiceGrpc;
import app.tandem.api.v1.Client;
import app.tandem.api.v1.ClientInvitation;
import app.tandem.api.v1.ClientSummary;
import app.tandem.api.v1.CreateClientInvitationRequest;
import app.tandem.api.v1.DisclosureScope;
import app.tandem.api.v1.EndTreatmentRequest;
import app.tandem.api.v1.EndTreatmentResponse;
import app.tandem.api.v1.GetClientSummaryRequest;
import app.tandem.api.v1.ListClientsRequest;
import app.tandem.api.v1.ListClientsResponse;
import app.tandem.api.v1.WatchCareEventsRequest;
import app.tandem.care.consent.ClientInvitations;
import app.tandem.care.consent.ConsentCommands.EndTreatment;
import app.tandem.care.consent.ConsentRegister;
import app.tandem.care.consent.ConsentRegister.InForce;
import app.tandem.care.disclosure.CareDisclosure;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.feed.FeedStreams;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.grpc.Unary;
import app.tandem.platform.security.Caller;
import io.grpc.stub.StreamObserver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;

/**
 * A counselor's side: inviting a client, the clients whose consents are in force, the stream of what they disclose,
 * a summary of it, and the end of a treatment. Nothing here writes to a couple's journal.
 */
@Service
public class CareEndpoint implements CareServiceGrpc.AsyncService {

    private static final int MAX_PERSON_ID = 200;

    private final ClientInvitations invitations;
    private final ConsentRegister register;
    private final CareDisclosure disclosure;
    private final FeedStreams<CareEvent> streams;
    private final CommandGateway commands;
    private final Clock clock;

    public CareEndpoint(ClientInvitations invitations, ConsentRegister register, CareDisclosure disclosure, FeedStreams<CareEvent> streams,
                        CommandGateway commands, Clock clock) {
        this.invitations = invitations;
        this.register = register;
        this.disclosure = disclosure;
        this.streams = streams;
        this.commands = commands;
        this.clock = clock;
    }

    @Override
    public void createClientInvitation(CreateClientInvitationRequest request, StreamObserver<ClientInvitation> response) {
        Caller caller = Caller.current();
        String counselor = caller.personId();
        Requests.requireIdempotencyKey(request.getIdempotencyKey(), "idempotency_key");
        if (caller.organisation().isBlank()) {
            throw new RuleViolation("your token names no organisation; a consent must name the counselor's organisation");
        }
        String invitationId = Requests.deterministicId("client-invitation", counselor, request.getIdempotencyKey());
        ClientInvitations.Created created = invitations.create(invitationId, counselor, caller.organisation(), clock.instant());
        Unary.reply(response, ClientInvitation.newBuilder().setCode(created.code()).setExpiresAt(Timestamps.of(created.expiresAt())).build());
    }

    @Override
    public void listClients(ListClientsRequest request, StreamObserver<ListClientsResponse> response) {
        Caller caller = Caller.current();
        ListClientsResponse.Builder answer = ListClientsResponse.newBuilder();
        for (InForce consent : register.clientsOf(caller.personId(), clock.instant())) {
            if (!consent.terms().organisation().equals(caller.organisation())) {
                continue; // consented to them at another organisation
            }
            Client.Builder client = Client.newBuilder()
                    .setPersonId(consent.terms().patientPersonId())
                    .setConsentId(consent.consentId())
                    .setConsentVersion(consent.version())
                    .addAllScopes(consent.terms().scopes().stream().map(scope -> DisclosureScope.valueOf(scope.name())).toList())
                    .setUntilTreatmentEnds(consent.terms().untilTreatmentEnds())
                    .setSignedAt(Timestamps.of(consent.signedAt()));
            if (consent.terms().expiresAt() != null) {
                client.setExpiresAt(Timestamps.of(consent.terms().expiresAt()));
            }
            answer.addClients(client);
        }
        Unary.reply(response, answer.build());
    }

    @Override
    public void watchCareEvents(WatchCareEventsRequest request, StreamObserver<CareEvent> observer) {
        Caller counselor = Caller.current();
        long cursor = FeedStreams.parseCursor(request.getAfterCursor(), "after_cursor");
        streams.open(counselor.personId(), cursor, observer, disclosure.to(counselor.personId(), counselor.organisation()));
    }

    @Override
    public void getClientSummary(GetClientSummaryRequest request, StreamObserver<ClientSummary> response) {
        Caller counselor = Caller.current();
        new Validation().requireText(request.getClientPersonId(), "client_person_id", MAX_PERSON_ID).orThrow();
        Unary.reply(response, disclosure.summary(counselor.personId(), counselor.organisation(), request.getClientPersonId()));
    }

    @Override
    public void endTreatment(EndTreatmentRequest request, StreamObserver<EndTreatmentResponse> response) {
        String counselor = Caller.current().personId();
        new Validation().requireText(request.getClientPersonId(), "client_person_id", MAX_PERSON_ID).orThrow();
        String consentId = register.idOf(request.getClientPersonId(), counselor);
        Instant now = clock.instant();
        // only a consent in force: whether someone once prepared or ended one is not the counselor's to learn
        register.inForce(consentId, now).orElseThrow(() -> new AccessDenied("no consent of this person names you"));
        commands.sendAndWait(new EndTreatment(consentId, counselor, now));
        Unary.reply(response, EndTreatmentResponse.getDefaultInstance());
    }
}
