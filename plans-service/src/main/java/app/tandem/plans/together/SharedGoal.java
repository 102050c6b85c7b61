package app.tandem.plans.together;

import app.tandem.plans.together.SharedGoalCommands.AnswerSharedGoal;
import app.tandem.plans.together.SharedGoalCommands.Answer;
import app.tandem.plans.together.SharedGoalCommands.Kind;
import app.tandem.plans.together.SharedGoalCommands.MarkSharedGoalDone;
import app.tandem.plans.together.SharedGoalCommands.ProposeSharedGoal;
import app.tandem.plans.together.SharedGoalCommands.RetireSharedGoal;
import app.tandem.plans.together.SharedGoalCommands.Rhythm;
import app.tandem.plans.together.SharedGoalCommands.Stage;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalAgreed;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalDeclined;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalDone;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalProposed;
import app.tandem.plans.together.SharedGoalEvents.SharedGoalRetired;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.domain.Validation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A goal the couple sets together beyond use: an activity together, a hobby, a health habit. One partner proposes it,
 * and it is the couple's only once the other agrees (or it is declined, with no reason kept). Each partner then marks it
 * done once a week; either retires it, and the weeks it was done stay.
 */
@Aggregate
public class SharedGoal {

    @AggregateIdentifier
    private String goalId;
    private String coupleId;
    private String proposedBy;
    private String partner;
    private Kind kind;
    private String encryptedTitle;
    private Rhythm rhythm;
    private Stage stage;
    private Instant proposedAt;
    private Instant agreedAt;
    private Instant retiredAt;
    private final List<SharedGoalView.Mark> marks = new ArrayList<>();
    private final Set<String> markIds = new HashSet<>();

    protected SharedGoal() {
        // for Axon
    }

    @CommandHandler
    public SharedGoal(ProposeSharedGoal command) {
        new Validation()
                .require(command.kind() != null, "kind", "is required")
                .require(command.encryptedTitle() != null && !command.encryptedTitle().isEmpty(), "title", "is required")
                .require(command.rhythm() != null, "rhythm", "is required")
                .require(!command.personId().equals(command.partnerId()), "couple_id", "must be a couple with two partners")
                .orThrow();
        apply(new SharedGoalProposed(command.goalId(), command.coupleId(), command.personId(), command.partnerId(), command.kind(),
                command.encryptedTitle(), command.rhythm(), command.now()));
    }

    @CommandHandler
    public SharedGoalView handle(AnswerSharedGoal command) {
        requirePartner(command.personId());
        if (command.personId().equals(proposedBy)) {
            throw new AccessDenied("only your partner answers the goal you proposed");
        }
        Stage answered = command.answer() == Answer.AGREE ? Stage.AGREED : Stage.DECLINED;
        if (stage == answered || answered == Stage.AGREED && stage == Stage.RETIRED && agreedAt != null) {
            return view(); // a retry
        }
        if (stage != Stage.PROPOSED) {
            throw new RuleViolation("this goal has already been answered");
        }
        apply(answered == Stage.AGREED ? new SharedGoalAgreed(goalId, coupleId, command.personId(), command.now())
                : new SharedGoalDeclined(goalId, coupleId, command.personId(), command.now()));
        return view();
    }

    @CommandHandler
    public SharedGoalView handle(MarkSharedGoalDone command) {
        requirePartner(command.personId());
        if (stage != Stage.AGREED) {
            throw new RuleViolation(stage == Stage.RETIRED ? "this goal was retired" : "a goal is done once you both agreed to it");
        }
        if (markIds.contains(command.markId())) {
            return view(); // the same request again, perhaps after the week turned: it counted in its own week
        }
        Instant week = Weeks.startOf(command.now());
        boolean already = marks.stream().anyMatch(m -> m.personId().equals(command.personId()) && m.weekStart().equals(week));
        if (!already) { // once per person and week, so a retry or a second tap counts nothing twice
            apply(new SharedGoalDone(goalId, coupleId, command.personId(), week, command.now(), command.markId()));
        }
        return view();
    }

    @CommandHandler
    public SharedGoalView handle(RetireSharedGoal command) {
        requirePartner(command.personId());
        if (stage == Stage.RETIRED) {
            return view(); // a retry
        }
        if (stage == Stage.DECLINED) {
            throw new RuleViolation("a declined goal was never the couple's");
        }
        apply(new SharedGoalRetired(goalId, coupleId, command.personId(), command.now()));
        return view();
    }

    private void requirePartner(String personId) {
        if (!isBetween(personId)) {
            throw new AccessDenied("not a partner in this couple");
        }
    }

    public boolean isBetween(String someone) {
        return someone.equals(proposedBy) || someone.equals(partner);
    }

    public SharedGoalView view() {
        return new SharedGoalView(goalId, coupleId, proposedBy, partner, kind, encryptedTitle, rhythm, stage, proposedAt, agreedAt,
                retiredAt, List.copyOf(marks));
    }

    @EventSourcingHandler
    void on(SharedGoalProposed event) {
        goalId = event.goalId();
        coupleId = event.coupleId();
        proposedBy = event.proposedByPersonId();
        partner = event.partnerPersonId();
        kind = event.kind();
        encryptedTitle = event.encryptedTitle();
        rhythm = event.rhythm();
        proposedAt = event.proposedAt();
        stage = Stage.PROPOSED;
    }

    @EventSourcingHandler
    void on(SharedGoalAgreed event) {
        stage = Stage.AGREED;
        agreedAt = event.agreedAt();
    }

    @EventSourcingHandler
    void on(SharedGoalDeclined event) {
        stage = Stage.DECLINED;
    }

    @EventSourcingHandler
    void on(SharedGoalDone event) {
        marks.add(new SharedGoalView.Mark(event.personId(), event.weekStart(), event.markedAt()));
        if (event.markId() != null) {
            markIds.add(event.markId());
        }
    }

    @EventSourcingHandler
    void on(SharedGoalRetired event) {
        stage = Stage.RETIRED;
        retiredAt = event.retiredAt();
    }
}
