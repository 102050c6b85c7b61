package app.tandem.plans.boundary;

import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.platform.grpc.Unary;
import app.tandem.platform.security.Caller;
import io.grpc.stub.StreamObserver;
import app.tandem.api.v1.BoundaryAppliesTo;
import app.tandem.api.v1.BoundaryCategory;
import app.tandem.api.v1.BoundaryStateChange;
import app.tandem.api.v1.BoundaryVersion;
import app.tandem.api.v1.BoundaryVersionOutcome;
import app.tandem.api.v1.ChangeBoundaryRequest;
import app.tandem.api.v1.GetBoundaryHistoryRequest;
import app.tandem.api.v1.GetBoundaryHistoryResponse;
import app.tandem.api.v1.ListBoundariesRequest;
import app.tandem.api.v1.ListBoundariesResponse;
import app.tandem.api.v1.ProposeBoundaryRequest;
import app.tandem.api.v1.RespondToBoundaryRequest;
import app.tandem.api.v1.ReviseBoundaryRequest;
import app.tandem.plans.boundary.BoundaryCommands.AcceptBoundary;
import app.tandem.plans.boundary.BoundaryCommands.Category;
import app.tandem.plans.boundary.BoundaryCommands.DeclineBoundary;
import app.tandem.plans.boundary.BoundaryCommands.PauseBoundary;
import app.tandem.plans.boundary.BoundaryCommands.ProposeBoundary;
import app.tandem.plans.boundary.BoundaryCommands.ResumeBoundary;
import app.tandem.plans.boundary.BoundaryCommands.RetireBoundary;
import app.tandem.plans.boundary.BoundaryCommands.ReviseBoundary;
import app.tandem.plans.integration.PlansIntegrationEvents;
import app.tandem.plans.membership.CouplePartners;
import app.tandem.platform.axon.Aggregates;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.grpc.Timestamps;
import com.google.protobuf.Timestamp;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Boundaries at the edge: validates each request before anything is encrypted or stored, checks membership, answers. */
@Service
public class BoundaryEndpoint implements PlansServiceGrpc.AsyncService {

    public static final int MAX_TEXT_LENGTH = 500;
    public static final Duration MAX_REVIEW_AHEAD = Duration.ofDays(366);

    private final CommandGateway commands;
    private final Aggregates aggregates;
    private final Repository<Boundary> boundaries;
    private final BoundaryBoard board;
    private final CouplePartners couples;
    private final PersonalDataCipher cipher;
    private final Clock clock;
    private final ReadYourWrites readYourWrites;

    public BoundaryEndpoint(CommandGateway commands, Aggregates aggregates, Repository<Boundary> boundaries, BoundaryBoard board, CouplePartners couples,
                            PersonalDataCipher cipher, Clock clock, ReadYourWrites readYourWrites) {
        this.readYourWrites = readYourWrites;
        this.commands = commands;
        this.aggregates = aggregates;
        this.boundaries = boundaries;
        this.board = board;
        this.couples = couples;
        this.cipher = cipher;
        this.clock = clock;
    }

    @Override
    public void proposeBoundary(ProposeBoundaryRequest request, StreamObserver<app.tandem.api.v1.Boundary> response) {
        String actor = Caller.current().personId();
        Instant now = clock.instant();
        Validation validation = new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getCoupleId(), "couple_id");
        content(validation, request.getText(), request.getCategoryValue(), request.getAppliesToValue(), request.hasReviewAt(),
                request.getReviewAt(), now);
        validation.orThrow();
        CouplePartners.Couple couple = couples.requireSharedBy(request.getCoupleId(), actor);
        String partner = couple.partnerOf(actor);
        String boundaryId = Requests.deterministicId("boundary", actor, request.getIdempotencyKey());
        try {
            commands.sendAndWait(new ProposeBoundary(boundaryId, couple.coupleId(), List.of(actor, partner),
                    cipher.encrypt(actor, request.getText()), category(request.getCategory()),
                    appliesTo(request.getAppliesTo(), actor, partner), reviewAt(request.hasReviewAt(), request.getReviewAt()), now));
        } catch (AggregateStreamCreationException alreadyProposed) {
            // a retry of a proposal that was already recorded: answer as the first time
        }
        Unary.reply(response, toProto(load(boundaryId, actor)));
    }

    @Override
    public void acceptBoundary(RespondToBoundaryRequest request, StreamObserver<app.tandem.api.v1.Boundary> response) {
        String actor = Caller.current().personId();
        validateAnswer(request);
        BoundaryView boundary = load(request.getBoundaryId(), actor);
        couples.requireSharedBy(boundary.coupleId(), actor);
        Unary.reply(response, toProto(commands.sendAndWait(new AcceptBoundary(request.getBoundaryId(), actor, request.getVersion(), clock.instant()))));
    }

    @Override
    public void declineBoundary(RespondToBoundaryRequest request, StreamObserver<app.tandem.api.v1.Boundary> response) {
        String actor = Caller.current().personId();
        validateAnswer(request);
        BoundaryView boundary = load(request.getBoundaryId(), actor);
        couples.requireSharedBy(boundary.coupleId(), actor);
        Unary.reply(response, toProto(commands.sendAndWait(new DeclineBoundary(request.getBoundaryId(), actor, request.getVersion(), clock.instant()))));
    }

    private static void validateAnswer(RespondToBoundaryRequest request) {
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getBoundaryId(), "boundary_id")
                .require(request.getVersion() >= 1, "version", "must be the version being answered (1 or more)")
                .orThrow();
    }

    @Override
    public void reviseBoundary(ReviseBoundaryRequest request, StreamObserver<app.tandem.api.v1.Boundary> response) {
        String actor = Caller.current().personId();
        Instant now = clock.instant();
        Validation validation = new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getBoundaryId(), "boundary_id")
                .require(request.getExpectedVersion() >= 1, "expected_version", "must be the version being revised (1 or more)");
        content(validation, request.getText(), request.getCategoryValue(), request.getAppliesToValue(), request.hasReviewAt(),
                request.getReviewAt(), now);
        validation.orThrow();
        BoundaryView boundary = load(request.getBoundaryId(), actor);
        CouplePartners.Couple couple = couples.requireSharedBy(boundary.coupleId(), actor);
        String partner = couple.partnerOf(actor);
        Unary.reply(response, toProto(commands.sendAndWait(new ReviseBoundary(request.getBoundaryId(), actor, request.getIdempotencyKey(),
                request.getExpectedVersion(), cipher.encrypt(actor, request.getText()), category(request.getCategory()),
                appliesTo(request.getAppliesTo(), actor, partner), reviewAt(request.hasReviewAt(), request.getReviewAt()), now))));
    }

    @Override
    public void pauseBoundary(ChangeBoundaryRequest request, StreamObserver<app.tandem.api.v1.Boundary> response) {
        String actor = Caller.current().personId();
        validateChange(request);
        couples.requireSharedBy(load(request.getBoundaryId(), actor).coupleId(), actor);
        Unary.reply(response, toProto(commands.sendAndWait(new PauseBoundary(request.getBoundaryId(), actor, clock.instant()))));
    }

    @Override
    public void resumeBoundary(ChangeBoundaryRequest request, StreamObserver<app.tandem.api.v1.Boundary> response) {
        String actor = Caller.current().personId();
        validateChange(request);
        couples.requireSharedBy(load(request.getBoundaryId(), actor).coupleId(), actor);
        Unary.reply(response, toProto(commands.sendAndWait(new ResumeBoundary(request.getBoundaryId(), actor, clock.instant()))));
    }

    @Override
    public void retireBoundary(ChangeBoundaryRequest request, StreamObserver<app.tandem.api.v1.Boundary> response) {
        String actor = Caller.current().personId();
        validateChange(request);
        couples.requireSharedBy(load(request.getBoundaryId(), actor).coupleId(), actor);
        Unary.reply(response, toProto(commands.sendAndWait(new RetireBoundary(request.getBoundaryId(), actor, clock.instant()))));
    }

    private static void validateChange(ChangeBoundaryRequest request) {
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getBoundaryId(), "boundary_id")
                .orThrow();
    }

    @Override
    public void listBoundaries(ListBoundariesRequest request, StreamObserver<ListBoundariesResponse> response) {
        String actor = Caller.current().personId();
        new Validation().requireUuid(request.getCoupleId(), "couple_id").orThrow();
        couples.requireSharedBy(request.getCoupleId(), actor);
        ListBoundariesResponse.Builder result = ListBoundariesResponse.newBuilder();
        readYourWrites.awaitProjection(BoundaryBoard.PROCESSOR);
        for (BoundaryBoard.Entry entry : board.of(request.getCoupleId(), request.getIncludeRetired())) {
            app.tandem.api.v1.Boundary.Builder boundary = app.tandem.api.v1.Boundary.newBuilder()
                    .setBoundaryId(entry.boundaryId())
                    .setCoupleId(entry.coupleId())
                    .setVersion(entry.version())
                    .setText(text(entry.proposedBy(), entry.encryptedText()))
                    .setCategory(PlansIntegrationEvents.category(entry.category()))
                    .addAllAppliesToPersonIds(entry.appliesTo())
                    .setProposedByPersonId(entry.proposedBy())
                    .setState(state(entry.state()))
                    .setKeptCount(entry.keptCount())
                    .setCrossedCount(entry.crossedCount());
            if (entry.reviewAt() != null) {
                boundary.setReviewAt(Timestamps.of(entry.reviewAt()));
            }
            if (entry.proposedAt() != null) {
                boundary.setProposedAt(Timestamps.of(entry.proposedAt()));
            }
            if (entry.acceptedAt() != null) {
                boundary.setAcceptedAt(Timestamps.of(entry.acceptedAt()));
            }
            result.addBoundaries(boundary);
        }
        Unary.reply(response, result.build());
    }

    @Override
    public void getBoundaryHistory(GetBoundaryHistoryRequest request, StreamObserver<GetBoundaryHistoryResponse> response) {
        String actor = Caller.current().personId();
        new Validation().requireUuid(request.getBoundaryId(), "boundary_id").orThrow();
        BoundaryView boundary = load(request.getBoundaryId(), actor);
        couples.requireSharedBy(boundary.coupleId(), actor);
        GetBoundaryHistoryResponse.Builder result = GetBoundaryHistoryResponse.newBuilder();
        for (BoundaryView.Version version : boundary.versions()) {
            BoundaryVersion.Builder v = BoundaryVersion.newBuilder()
                    .setVersion(version.version())
                    .setText(text(version.proposedBy(), version.encryptedText()))
                    .setCategory(PlansIntegrationEvents.category(version.category()))
                    .addAllAppliesToPersonIds(version.appliesTo())
                    .setProposedByPersonId(version.proposedBy())
                    .setProposedAt(Timestamps.of(version.proposedAt()))
                    .setOutcome(BoundaryVersionOutcome.valueOf("VERSION_" + version.outcome().name()));
            if (version.reviewAt() != null) {
                v.setReviewAt(Timestamps.of(version.reviewAt()));
            }
            if (version.answeredBy() != null) {
                v.setAnsweredByPersonId(version.answeredBy()).setAnsweredAt(Timestamps.of(version.answeredAt()));
            }
            result.addVersions(v);
        }
        for (BoundaryView.StateChange change : boundary.stateChanges()) {
            result.addStateChanges(BoundaryStateChange.newBuilder().setState(state(change.state()))
                    .setChangedByPersonId(change.changedBy()).setChangedAt(Timestamps.of(change.changedAt())));
        }
        Unary.reply(response, result.build());
    }

    /** The boundary from its own events; someone outside its couple is told it does not exist. */
    private BoundaryView load(String boundaryId, String actor) {
        return aggregates.read(boundaries, boundaryId, b -> b.hasPartner(actor) ? b.view() : null)
                .orElseThrow(() -> new NotFound("no such boundary"));
    }

    private static void content(Validation validation, String text, int category, int appliesTo, boolean hasReviewAt,
                                Timestamp reviewAt, Instant now) {
        validation
                .requireText(text, "text", MAX_TEXT_LENGTH)
                .require(category != 0 && BoundaryCategory.forNumber(category) != null, "category", "must be one of the boundary categories")
                .require(appliesTo != 0 && BoundaryAppliesTo.forNumber(appliesTo) != null, "applies_to",
                        "must say whether it applies to you, your partner or both of you");
        if (hasReviewAt) {
            boolean valid = Timestamps.isValid(reviewAt);
            Instant at = valid ? Timestamps.toInstant(reviewAt) : null;
            validation.require(valid && at.isAfter(now) && !at.isAfter(now.plus(MAX_REVIEW_AHEAD)), "review_at",
                    "must be in the future and at most a year ahead");
        }
    }

    private static Category category(BoundaryCategory category) {
        return Category.valueOf(category.name().substring("BOUNDARY_".length()));
    }

    private static List<String> appliesTo(BoundaryAppliesTo appliesTo, String actor, String partner) {
        return switch (appliesTo) {
            case BOUNDARY_APPLIES_TO_ME -> List.of(actor);
            case BOUNDARY_APPLIES_TO_MY_PARTNER -> List.of(partner);
            default -> List.of(actor, partner);
        };
    }

    private static Instant reviewAt(boolean present, Timestamp reviewAt) {
        return present ? Timestamps.toInstant(reviewAt) : null;
    }

    private static app.tandem.api.v1.BoundaryState state(BoundaryState state) {
        return app.tandem.api.v1.BoundaryState.valueOf("BOUNDARY_" + state.name());
    }

    /** An erased author's words stay unreadable. */
    private String text(String author, String encrypted) {
        return cipher.decrypt(author, encrypted).orElse("");
    }

    private app.tandem.api.v1.Boundary toProto(Object result) {
        BoundaryView view = (BoundaryView) result;
        BoundaryView.Version current = view.current();
        app.tandem.api.v1.Boundary.Builder boundary = app.tandem.api.v1.Boundary.newBuilder()
                .setBoundaryId(view.boundaryId())
                .setCoupleId(view.coupleId())
                .setVersion(current.version())
                .setText(text(current.proposedBy(), current.encryptedText()))
                .setCategory(PlansIntegrationEvents.category(current.category()))
                .addAllAppliesToPersonIds(current.appliesTo())
                .setProposedByPersonId(current.proposedBy())
                .setState(state(view.state()))
                .setKeptCount(view.keptCount())
                .setCrossedCount(view.crossedCount())
                .setProposedAt(Timestamps.of(current.proposedAt()));
        if (current.reviewAt() != null) {
            boundary.setReviewAt(Timestamps.of(current.reviewAt()));
        }
        if (view.acceptedAt() != null && view.state() != BoundaryState.PROPOSED) {
            boundary.setAcceptedAt(Timestamps.of(view.acceptedAt()));
        }
        return boundary.build();
    }
}
