package app.tandem.journal.erasure;

import app.tandem.api.v1.EraseMeRequest;
import app.tandem.api.v1.ErasePersonRequest;
import app.tandem.api.v1.ErasureDeskGrpc;
import app.tandem.api.v1.ErasureServiceGrpc;
import app.tandem.api.v1.ErasureTerms;
import app.tandem.api.v1.GetErasureRequest;
import app.tandem.api.v1.GetMyErasureRequest;
import app.tandem.api.v1.PrepareErasureRequest;
import app.tandem.journal.couple.CoupleCommands.LeaveCouple;
import app.tandem.journal.couple.CoupleDirectory;
import app.tandem.journal.erasure.ErasureCommands.RequestErasure;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.domain.TextDigest;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.security.Caller;
import io.grpc.stub.StreamObserver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;

/**
 * Erasure, asked by the person after reading its terms or by an operator on a verified request. The person first
 * leaves their couple as any leave does, so the one who stays learns of it only as of a leave; then every service
 * erases them and confirms.
 */
@Service
public class ErasureEndpoint implements ErasureServiceGrpc.AsyncService, ErasureDeskGrpc.AsyncService {

    static final String TERMS = """
            Erasing removes everything Tandem holds about you: your check-ins and reviews, goals, streaks and milestones, \
            the boundaries you proposed and your answers, your section and private items of the safety plan, your relapse \
            tasks, your notifications, preferences and contact addresses, your consents and their record. If you are in a \
            couple, you leave it first, as any leave: your partner is not told when. What stays in Tandem's event history \
            is locked with your own key, and every service destroys that key, so it can never be read again. Your \
            partner's own entries and plan stay theirs. Backups of Tandem's databases expire on their own schedule; \
            until then they hold your data only under the key that is destroyed. This cannot be undone.""";

    private final CommandGateway commands;
    private final CoupleDirectory couples;
    private final ErasureHistory history;
    private final Set<String> services;
    private final Clock clock;

    public ErasureEndpoint(CommandGateway commands, CoupleDirectory couples, ErasureHistory history,
                           @Value("${tandem.erasure.services:journal-service,plans-service,notifications-service,care-service}") Set<String> services,
                           Clock clock) {
        this.commands = commands;
        this.couples = couples;
        this.history = history;
        this.services = Set.copyOf(services);
        this.clock = clock;
    }

    @Override
    public void prepareErasure(PrepareErasureRequest request, StreamObserver<ErasureTerms> response) {
        response.onNext(ErasureTerms.newBuilder().setText(TERMS).setTextSha256(TextDigest.sha256(TERMS)).build());
        response.onCompleted();
    }

    @Override
    public void eraseMe(EraseMeRequest request, StreamObserver<app.tandem.api.v1.Erasure> response) {
        String person = Caller.current().personId();
        Requests.requireIdempotencyKey(request.getIdempotencyKey(), "idempotency_key");
        new Validation().require(request.getTextSha256().matches("[0-9a-f]{64}"), "text_sha256", "must be a SHA-256 in lowercase hex").orThrow();
        if (!request.getTextSha256().equals(TextDigest.sha256(TERMS))) {
            throw new RuleViolation("text_sha256 is not that of the terms PrepareErasure answers: read them again");
        }
        response.onNext(erase(person, null));
        response.onCompleted();
    }

    @Override
    public void getMyErasure(GetMyErasureRequest request, StreamObserver<app.tandem.api.v1.Erasure> response) {
        response.onNext(history.of(erasureIdOf(Caller.current().personId())).orElseThrow(() -> new NotFound("you asked for no erasure")));
        response.onCompleted();
    }

    @Override
    public void erasePerson(ErasePersonRequest request, StreamObserver<app.tandem.api.v1.Erasure> response) {
        Requests.requireIdempotencyKey(request.getIdempotencyKey(), "idempotency_key");
        new Validation()
                .requireText(request.getPersonId(), "person_id", 200)
                .requireText(request.getRequestReference(), "request_reference", 200)
                .orThrow();
        response.onNext(erase(request.getPersonId(), request.getRequestReference()));
        response.onCompleted();
    }

    @Override
    public void getErasure(GetErasureRequest request, StreamObserver<app.tandem.api.v1.Erasure> response) {
        String erasureId = Requests.requireUuid(request.getErasureId(), "erasure_id");
        response.onNext(history.of(erasureId).orElseThrow(() -> new NotFound("no such erasure")));
        response.onCompleted();
    }

    private app.tandem.api.v1.Erasure erase(String person, String requestReference) {
        couples.activeCoupleOf(person).ifPresent(couple -> commands.sendAndWait(new LeaveCouple(couple, person, clock.instant())));
        String erasureId = erasureIdOf(person);
        commands.sendAndWait(new RequestErasure(erasureId, person, services, requestReference, clock.instant()));
        return history.of(erasureId).orElseThrow();
    }

    /** One erasure per person, so a retry, whatever its key, or a second device asking at once, is the same erasure. */
    static String erasureIdOf(String personId) {
        return UUID.nameUUIDFromBytes(("erasure/" + personId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
