package app.tandem.plans.victory;

import app.tandem.plans.victory.VictoryCommands.AcknowledgeVictory;
import app.tandem.plans.victory.VictoryCommands.Kind;
import app.tandem.plans.victory.VictoryCommands.Reaction;
import app.tandem.plans.victory.VictoryCommands.RecordVictory;
import app.tandem.plans.victory.VictoryEvents.VictoryAcknowledged;
import app.tandem.plans.victory.VictoryEvents.VictoryRecorded;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.domain.Validation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A small victory of one person's own (a meeting attended, a craving ridden out, something in their own words), not a
 * count of days. A shared one the partner may acknowledge once, with a short reaction; a private one only its author
 * ever sees.
 */
@Aggregate
public class Victory {

    @AggregateIdentifier
    private String victoryId;
    private String coupleId;
    private String personId;
    private String partnerId;
    private Kind kind;
    private String encryptedText;
    private boolean shared;
    private Instant recordedAt;
    private Reaction reaction;
    private Instant acknowledgedAt;

    protected Victory() {
        // for Axon
    }

    @CommandHandler
    public Victory(RecordVictory command) {
        new Validation()
                .require(command.kind() != null, "kind", "is required")
                .require(command.kind() != Kind.OTHER || !command.encryptedText().isEmpty(), "text", "is required for a victory of another kind")
                .orThrow();
        apply(new VictoryRecorded(command.victoryId(), command.coupleId(), command.personId(), command.partnerId(), command.kind(),
                command.encryptedText(), command.shared(), command.now()));
    }

    @CommandHandler
    public VictoryView handle(AcknowledgeVictory command) {
        if (!visibleTo(command.personId())) {
            throw new AccessDenied("not a victory shared with you");
        }
        if (command.personId().equals(personId)) {
            throw new AccessDenied("only your partner acknowledges your victory");
        }
        if (reaction == command.reaction()) {
            return view(); // a retry
        }
        if (reaction != null) {
            throw new RuleViolation("you have already acknowledged this victory");
        }
        apply(new VictoryAcknowledged(victoryId, coupleId, command.personId(), personId, command.reaction(), command.now()));
        return view();
    }

    /** The author always; the partner only a shared victory. */
    public boolean visibleTo(String someone) {
        return someone.equals(personId) || shared && someone.equals(partnerId);
    }

    public VictoryView view() {
        return new VictoryView(victoryId, coupleId, personId, kind, encryptedText, shared, recordedAt, reaction, acknowledgedAt);
    }

    @EventSourcingHandler
    void on(VictoryRecorded event) {
        victoryId = event.victoryId();
        coupleId = event.coupleId();
        personId = event.personId();
        partnerId = event.partnerPersonId();
        kind = event.kind();
        encryptedText = event.encryptedText();
        shared = event.shared();
        recordedAt = event.recordedAt();
    }

    @EventSourcingHandler
    void on(VictoryAcknowledged event) {
        reaction = event.reaction();
        acknowledgedAt = event.acknowledgedAt();
    }
}
