package app.tandem.plans.victory;

import app.tandem.api.v1.AcknowledgeVictoryRequest;
import app.tandem.api.v1.ListVictoriesRequest;
import app.tandem.api.v1.ListVictoriesResponse;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.api.v1.RecordVictoryRequest;
import app.tandem.api.v1.VictoryKind;
import app.tandem.api.v1.VictoryReaction;
import app.tandem.api.v1.Visibility;
import app.tandem.plans.membership.CouplePartners;
import app.tandem.plans.victory.VictoryCommands.AcknowledgeVictory;
import app.tandem.plans.victory.VictoryCommands.Kind;
import app.tandem.plans.victory.VictoryCommands.Reaction;
import app.tandem.plans.victory.VictoryCommands.RecordVictory;
import app.tandem.platform.axon.Aggregates;
import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.grpc.Unary;
import app.tandem.platform.security.Caller;
import io.grpc.stub.StreamObserver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Small victories at the edge: a private one is shown to its author alone, and to anyone else does not exist. */
@Service
public class VictoryEndpoint implements PlansServiceGrpc.AsyncService {

    public static final int MAX_TEXT_LENGTH = 300;

    private final CommandGateway commands;
    private final Aggregates aggregates;
    private final Repository<Victory> victories;
    private final VictoryBoard board;
    private final CouplePartners couples;
    private final PersonalDataCipher cipher;
    private final Clock clock;
    private final ReadYourWrites readYourWrites;

    public VictoryEndpoint(CommandGateway commands, Aggregates aggregates, Repository<Victory> victories, VictoryBoard board,
                           CouplePartners couples, PersonalDataCipher cipher, Clock clock, ReadYourWrites readYourWrites) {
        this.commands = commands;
        this.aggregates = aggregates;
        this.victories = victories;
        this.board = board;
        this.couples = couples;
        this.cipher = cipher;
        this.clock = clock;
        this.readYourWrites = readYourWrites;
    }

    @Override
    public void recordVictory(RecordVictoryRequest request, StreamObserver<app.tandem.api.v1.Victory> response) {
        String actor = Caller.current().personId();
        int visibility = request.getVisibilityValue();
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getCoupleId(), "couple_id")
                .require(request.getKindValue() != 0 && VictoryKind.forNumber(request.getKindValue()) != null, "kind",
                        "must be one of the victory kinds")
                .require(request.getText().length() <= MAX_TEXT_LENGTH, "text", "must be at most " + MAX_TEXT_LENGTH + " characters")
                .require(request.getKind() != VictoryKind.VICTORY_OTHER || !request.getText().isBlank(), "text",
                        "is required for a victory of another kind")
                .require(visibility == Visibility.VISIBILITY_UNSPECIFIED_VALUE || visibility == Visibility.PRIVATE_VALUE
                        || visibility == Visibility.SHARED_WITH_PARTNER_VALUE, "visibility", "must be private or shared with your partner")
                .orThrow();
        CouplePartners.Couple couple = couples.requireSharedBy(request.getCoupleId(), actor);
        String partner = couple.partnerOf(actor);
        String victoryId = Requests.deterministicId("victory", actor, request.getIdempotencyKey());
        String text = request.getText().isBlank() ? "" : cipher.encrypt(actor, request.getText());
        try {
            commands.sendAndWait(new RecordVictory(victoryId, couple.coupleId(), actor, partner,
                    Kind.valueOf(request.getKind().name().substring("VICTORY_".length())), text,
                    visibility == Visibility.SHARED_WITH_PARTNER_VALUE, now()));
        } catch (AggregateStreamCreationException alreadyRecorded) {
            // a retry of a victory already recorded: answer as the first time
        }
        Unary.reply(response, toProto(load(victoryId, actor)));
    }

    @Override
    public void acknowledgeVictory(AcknowledgeVictoryRequest request, StreamObserver<app.tandem.api.v1.Victory> response) {
        String actor = Caller.current().personId();
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getVictoryId(), "victory_id")
                .require(request.getReactionValue() != 0 && VictoryReaction.forNumber(request.getReactionValue()) != null, "reaction",
                        "must be one of the reactions")
                .orThrow();
        couples.requireSharedBy(load(request.getVictoryId(), actor).coupleId(), actor);
        VictoryView after = commands.sendAndWait(new AcknowledgeVictory(request.getVictoryId(), actor,
                Reaction.valueOf(request.getReaction().name().substring("REACTION_".length())), now()));
        Unary.reply(response, toProto(after));
    }

    @Override
    public void listVictories(ListVictoriesRequest request, StreamObserver<ListVictoriesResponse> response) {
        String actor = Caller.current().personId();
        new Validation().requireUuid(request.getCoupleId(), "couple_id").orThrow();
        String partner = couples.requireSharedBy(request.getCoupleId(), actor).partnerOf(actor);
        readYourWrites.awaitProjection(VictoryBoard.PROCESSOR);
        ListVictoriesResponse.Builder result = ListVictoriesResponse.newBuilder()
                .setSharedByMe(board.sharedBy(actor, request.getCoupleId()))
                .setSharedByPartner(board.sharedBy(partner, request.getCoupleId()));
        board.seenBy(actor, request.getCoupleId()).forEach(v -> result.addVictories(toProto(v)));
        Unary.reply(response, result.build());
    }

    /** The board keeps times to the millisecond, so every answer gives them so. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The victory from its own events; a private one of the partner's, like one of another couple, does not exist. */
    private VictoryView load(String victoryId, String actor) {
        return aggregates.read(victories, victoryId, v -> v.visibleTo(actor) ? v.view() : null)
                .orElseThrow(() -> new NotFound("no such victory"));
    }

    private app.tandem.api.v1.Victory toProto(VictoryView view) {
        app.tandem.api.v1.Victory.Builder result = app.tandem.api.v1.Victory.newBuilder()
                .setVictoryId(view.victoryId())
                .setCoupleId(view.coupleId())
                .setPersonId(view.personId())
                .setKind(view.kind() == null ? VictoryKind.VICTORY_KIND_UNSPECIFIED // an erased author's
                        : VictoryKind.valueOf("VICTORY_" + view.kind().name()))
                .setVisibility(view.shared() ? Visibility.SHARED_WITH_PARTNER : Visibility.PRIVATE)
                .setRecordedAt(Timestamps.of(view.recordedAt()));
        if (!view.encryptedText().isEmpty()) {
            // an erased author's words stay unreadable
            result.setText(cipher.decrypt(view.personId(), view.encryptedText()).orElse(""));
        }
        if (view.reaction() != null) {
            result.setReaction(VictoryReaction.valueOf("REACTION_" + view.reaction().name()))
                    .setAcknowledgedAt(Timestamps.of(view.acknowledgedAt()));
        }
        return result.build();
    }
}
