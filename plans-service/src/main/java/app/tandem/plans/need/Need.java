package app.tandem.plans.need;

import app.tandem.plans.need.NeedCommands.Answer;
import app.tandem.plans.need.NeedCommands.AnswerNeed;
import app.tandem.plans.need.NeedCommands.ExpressNeed;
import app.tandem.plans.need.NeedCommands.Kind;
import app.tandem.plans.need.NeedEvents.NeedAnswered;
import app.tandem.plans.need.NeedEvents.NeedExpressed;
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
 * What one partner needs, from the other this week or for themselves, said in a few words and shared with the partner,
 * who answers once: "I can do that" or "let's talk about it". Not urgent: "I need support now" is the journal's.
 */
@Aggregate
public class Need {

    @AggregateIdentifier
    private String needId;
    private String coupleId;
    private String personId;
    private String partnerId;
    private Kind kind;
    private String encryptedText;
    private Instant expressedAt;
    private Answer answer;
    private Instant answeredAt;

    protected Need() {
        // for Axon
    }

    @CommandHandler
    public Need(ExpressNeed command) {
        new Validation()
                .require(command.kind() != null, "kind", "is required")
                .require(command.encryptedText() != null && !command.encryptedText().isEmpty(), "text", "is required")
                .orThrow();
        apply(new NeedExpressed(command.needId(), command.coupleId(), command.personId(), command.partnerId(), command.kind(),
                command.encryptedText(), command.now()));
    }

    @CommandHandler
    public NeedView handle(AnswerNeed command) {
        if (!isBetween(command.personId())) {
            throw new AccessDenied("not a partner in this couple");
        }
        if (command.personId().equals(personId)) {
            throw new AccessDenied("only your partner answers your need");
        }
        if (answer == command.answer()) {
            return view(); // a retry
        }
        if (answer != null) {
            throw new RuleViolation("this need has already been answered");
        }
        apply(new NeedAnswered(needId, coupleId, command.personId(), personId, command.answer(), command.now()));
        return view();
    }

    public boolean isBetween(String someone) {
        return someone.equals(personId) || someone.equals(partnerId);
    }

    public NeedView view() {
        return new NeedView(needId, coupleId, personId, kind, encryptedText, expressedAt, answer, answeredAt);
    }

    @EventSourcingHandler
    void on(NeedExpressed event) {
        needId = event.needId();
        coupleId = event.coupleId();
        personId = event.personId();
        partnerId = event.partnerPersonId();
        kind = event.kind();
        encryptedText = event.encryptedText();
        expressedAt = event.expressedAt();
    }

    @EventSourcingHandler
    void on(NeedAnswered event) {
        answer = event.answer();
        answeredAt = event.answeredAt();
    }
}
