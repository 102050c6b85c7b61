package app.tandem.care.consent;

import app.tandem.api.v1.ConsentPurpose;
import app.tandem.api.v1.ConsentServiceGrpc;
import app.tandem.api.v1.ConsentStatus;
import app.tandem.api.v1.DisclosureScope;
import app.tandem.api.v1.Disclosure;
import app.tandem.api.v1.ListConsentsRequest;
import app.tandem.api.v1.ListConsentsResponse;
import app.tandem.api.v1.ListDisclosuresRequest;
import app.tandem.api.v1.ListDisclosuresResponse;
import app.tandem.api.v1.PrepareConsentRequest;
import app.tandem.api.v1.RevokeConsentRequest;
import app.tandem.api.v1.SignConsentRequest;
import app.tandem.api.v1.CareItemKind;
import app.tandem.care.consent.ConsentCommands.PrepareConsent;
import app.tandem.care.consent.ConsentCommands.RevokeConsent;
import app.tandem.care.consent.ConsentCommands.SignConsent;
import app.tandem.care.consent.ConsentRegister.ConsentVersion;
import app.tandem.care.disclosure.Disclosures;
import app.tandem.platform.crypto.InviteCodes;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.grpc.Unary;
import app.tandem.platform.security.Caller;
import io.grpc.stub.StreamObserver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A partner's consents: prepared from a counselor's invitation, read, signed, revoked; and the disclosures made under them. */
@Service
public class ConsentEndpoint implements ConsentServiceGrpc.AsyncService {

    static final int MAX_SCOPES = 20;
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;

    private final CommandGateway commands;
    private final ConsentRegister register;
    private final ClientInvitations invitations;
    private final Disclosures disclosures;
    private final Clock clock;

    public ConsentEndpoint(CommandGateway commands, ConsentRegister register, ClientInvitations invitations, Disclosures disclosures,
                           Clock clock) {
        this.commands = commands;
        this.register = register;
        this.invitations = invitations;
        this.disclosures = disclosures;
        this.clock = clock;
    }

    @Override
    public void prepareConsent(PrepareConsentRequest request, StreamObserver<app.tandem.api.v1.Consent> response) {
        String patient = Caller.current().personId();
        Instant now = clock.instant();
        List<Scope> scopes = new ArrayList<>();
        Validation validation = new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .require(InviteCodes.isWellFormed(request.getInvitationCode()), "invitation_code",
                        "must be the " + InviteCodes.LENGTH + "-character code your counselor gave you")
                .require(request.getPurpose() != ConsentPurpose.CONSENT_PURPOSE_UNSPECIFIED && request.getPurpose() != ConsentPurpose.UNRECOGNIZED,
                        "purpose", "must be one of " + List.of(Purpose.values()))
                .require(request.getScopesCount() > 0 && request.getScopesCount() <= MAX_SCOPES, "scopes",
                        "must name 1 to " + MAX_SCOPES + " kinds of information");
        for (int i = 0; i < request.getScopesCount() && i < MAX_SCOPES; i++) {
            DisclosureScope scope = request.getScopes(i);
            boolean known = scope != DisclosureScope.DISCLOSURE_SCOPE_UNSPECIFIED && scope != DisclosureScope.UNRECOGNIZED;
            validation.require(known, "scopes[" + i + "]", "must be one of " + List.of(Scope.values()));
            if (known) {
                scopes.add(Scope.valueOf(scope.name()));
            }
        }
        Instant expiresAt = Timestamps.optional(request.hasExpiresAt(), request.getExpiresAt(), null, "expires_at");
        validation.require(expiresAt != null || request.getUntilTreatmentEnds(), "expires_at", "or until_treatment_ends is required")
                .require(expiresAt == null || expiresAt.isAfter(now), "expires_at", "must be in the future")
                .require(expiresAt == null || !expiresAt.isAfter(now.plus(ConsentTerms.LONGEST)), "expires_at", "must be within two years")
                .orThrow();
        ClientInvitations.Invitation invitation = invitations.take(request.getInvitationCode(), patient, now)
                .orElseThrow(() -> new NotFound("no counselor has given this invitation code, or it has expired"));
        String consentId = register.idOf(patient, invitation.counselorPersonId());
        ConsentTerms terms = new ConsentTerms(patient, invitation.counselorPersonId(), invitation.organisation(),
                Purpose.valueOf(request.getPurpose().name()), scopes, expiresAt, request.getUntilTreatmentEnds());
        int version = commands.sendAndWait(new PrepareConsent(consentId, terms, request.getIdempotencyKey(), now));
        Unary.reply(response, toMessage(register.version(consentId, version).orElseThrow(() -> new IllegalStateException("consent not recorded"))));
    }

    @Override
    public void signConsent(SignConsentRequest request, StreamObserver<app.tandem.api.v1.Consent> response) {
        String patient = Caller.current().personId();
        String consentId = Requests.requireUuid(request.getConsentId(), "consent_id");
        new Validation()
                .requireRange(request.getVersion(), 1, Integer.MAX_VALUE, "version")
                .require(request.getTextSha256().matches("[0-9a-f]{64}"), "text_sha256", "must be the hex SHA-256 of the text you read")
                .orThrow();
        requireOwn(consentId, patient);
        commands.sendAndWait(new SignConsent(consentId, patient, request.getVersion(), request.getTextSha256(), clock.instant()));
        Unary.reply(response, toMessage(register.version(consentId, request.getVersion()).orElseThrow()));
    }

    @Override
    public void revokeConsent(RevokeConsentRequest request, StreamObserver<app.tandem.api.v1.Consent> response) {
        String patient = Caller.current().personId();
        String consentId = Requests.requireUuid(request.getConsentId(), "consent_id");
        ConsentVersion latest = requireOwn(consentId, patient);
        Instant now = clock.instant();
        int revoked = register.inForce(consentId, now).map(ConsentRegister.InForce::version).orElse(latest.version());
        commands.sendAndWait(new RevokeConsent(consentId, patient, now));
        Unary.reply(response, toMessage(register.version(consentId, revoked).orElseThrow()));
    }

    /** A consent that is not the caller's gets the answer one that does not exist gets. */
    private ConsentVersion requireOwn(String consentId, String patient) {
        return register.latest(consentId).filter(version -> version.terms().patientPersonId().equals(patient))
                .orElseThrow(() -> new AccessDenied("not a consent of yours"));
    }

    @Override
    public void listConsents(ListConsentsRequest request, StreamObserver<ListConsentsResponse> response) {
        String patient = Caller.current().personId();
        ListConsentsResponse.Builder answer = ListConsentsResponse.newBuilder();
        register.versionsOf(patient).forEach(version -> answer.addConsents(toMessage(version)));
        Unary.reply(response, answer.build());
    }

    @Override
    public void listDisclosures(ListDisclosuresRequest request, StreamObserver<ListDisclosuresResponse> response) {
        String patient = Caller.current().personId();
        new Validation().requireRange(request.getPageSize(), 0, MAX_PAGE, "page_size")
                .require(request.getPageToken().length() <= 100, "page_token", "is not a page token this service issued").orThrow();
        Disclosures.Page page = disclosures.of(patient, request.getPageSize() == 0 ? DEFAULT_PAGE : request.getPageSize(),
                request.getPageToken());
        ListDisclosuresResponse.Builder answer = ListDisclosuresResponse.newBuilder().setNextPageToken(page.nextPageToken());
        for (Disclosures.Disclosure d : page.disclosures()) {
            answer.addDisclosures(Disclosure.newBuilder()
                    .setDisclosureId(d.disclosureId())
                    .setDisclosedAt(Timestamps.of(d.disclosedAt()))
                    .setCounselorPersonId(d.counselorPersonId())
                    .setOrganisation(d.organisation())
                    .setConsentId(d.consentId())
                    .setConsentVersion(d.consentVersion())
                    .setPurpose(ConsentPurpose.valueOf(d.purpose()))
                    .setKind(CareItemKind.valueOf(d.kind()))
                    .setItemId(d.itemId()));
        }
        Unary.reply(response, answer.build());
    }

    public static app.tandem.api.v1.Consent toMessage(ConsentVersion version) {
        ConsentTerms terms = version.terms();
        app.tandem.api.v1.Consent.Builder message = app.tandem.api.v1.Consent.newBuilder()
                .setConsentId(version.consentId())
                .setVersion(version.version())
                .setStatus(ConsentStatus.valueOf(version.status().name()))
                .setPatientPersonId(terms.patientPersonId())
                .setDiscloser(ConsentTerms.DISCLOSER)
                .setCounselorPersonId(terms.counselorPersonId())
                .setOrganisation(terms.organisation())
                .setPurpose(ConsentPurpose.valueOf(terms.purpose().name()))
                .addAllScopes(terms.scopes().stream().map(scope -> DisclosureScope.valueOf(scope.name())).toList())
                .setUntilTreatmentEnds(terms.untilTreatmentEnds())
                .setText(version.text())
                .setTextSha256(version.textSha256())
                .setPreparedAt(Timestamps.of(version.preparedAt()));
        if (terms.expiresAt() != null) {
            message.setExpiresAt(Timestamps.of(terms.expiresAt()));
        }
        if (version.signedAt() != null) {
            message.setSignedAt(Timestamps.of(version.signedAt()));
        }
        if (version.endedAt() != null) {
            message.setEndedAt(Timestamps.of(version.endedAt()));
        }
        return message.build();
    }
}
