package app.tandem.plans.boundary;

import app.tandem.plans.boundary.BoundaryCommands.AcceptBoundary;
import app.tandem.plans.boundary.BoundaryCommands.Category;
import app.tandem.plans.boundary.BoundaryCommands.DeclineBoundary;
import app.tandem.plans.boundary.BoundaryCommands.PauseBoundary;
import app.tandem.plans.boundary.BoundaryCommands.ReachReviewDate;
import app.tandem.plans.boundary.BoundaryCommands.ProposeBoundary;
import app.tandem.plans.boundary.BoundaryCommands.ReportBoundary;
import app.tandem.plans.boundary.BoundaryCommands.ResumeBoundary;
import app.tandem.plans.boundary.BoundaryCommands.RetireBoundary;
import app.tandem.plans.boundary.BoundaryCommands.ReviseBoundary;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryAccepted;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryDeclined;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryPaused;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryProposed;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryReported;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryResumed;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryRetired;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryReviewDue;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryRevised;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.domain.Validation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A boundary one partner proposes and the other accepts or declines. Every revision is a new version that
 * needs the other partner's acceptance again; earlier versions stay in its history. Check-ins report it kept or
 * crossed; only reports while it is in force count.
 */
@Aggregate
public class Boundary {

    @AggregateIdentifier
    private String boundaryId;
    private String coupleId;
    private List<String> partners;
    private BoundaryState state;
    private Category category;
    private final List<BoundaryView.Version> versions = new ArrayList<>();
    private final List<BoundaryView.StateChange> stateChanges = new ArrayList<>();
    private final Set<String> revisionKeys = new HashSet<>();
    /** Latest counted answer per check-in: true kept, false crossed. */
    private final Map<String, Boolean> countedReports = new HashMap<>();
    /** Reports that arrived while it was not in force, as "check-in/answer": recorded once, never counted. */
    private final Set<String> reportedUncounted = new HashSet<>();
    private Instant acceptedAt;
    private final Set<Integer> reviewedVersions = new HashSet<>();

    protected Boundary() {
        // for Axon
    }

    @CommandHandler
    public Boundary(ProposeBoundary command) {
        validate(command.encryptedText(), command.category(), command.appliesTo(), command.partners());
        String proposer = command.partners().get(0);
        apply(new BoundaryProposed(command.boundaryId(), command.coupleId(), 1, proposer, command.partners().get(1),
                command.encryptedText(), command.category(), List.copyOf(command.appliesTo()), command.reviewAt(), command.now()));
    }

    /** The domain's own guard; the edge reports the same rules with the public field names first. */
    static void validate(String encryptedText, Category category, List<String> appliesTo, List<String> partners) {
        new Validation()
                .require(encryptedText != null && !encryptedText.isEmpty(), "text", "is required")
                .require(category != null, "category", "is required")
                .require(appliesTo != null && !appliesTo.isEmpty() && partners.containsAll(appliesTo), "applies_to",
                        "must name one or both partners")
                .require(partners.size() == 2 && !partners.get(0).equals(partners.get(1)), "couple_id",
                        "must be a couple with two partners")
                .orThrow();
    }

    @CommandHandler
    public BoundaryView handle(AcceptBoundary command) {
        if (answerIsRepeated(command.personId(), command.version(), BoundaryView.Outcome.ACCEPTED)) {
            return view();
        }
        requireAnswerable(command.personId(), command.version());
        apply(new BoundaryAccepted(boundaryId, coupleId, command.version(), command.personId(), current().proposedBy(), command.now()));
        return view();
    }

    @CommandHandler
    public BoundaryView handle(DeclineBoundary command) {
        if (answerIsRepeated(command.personId(), command.version(), BoundaryView.Outcome.DECLINED)) {
            return view();
        }
        requireAnswerable(command.personId(), command.version());
        apply(new BoundaryDeclined(boundaryId, coupleId, command.version(), command.personId(), current().proposedBy(), command.now()));
        return view();
    }

    private boolean answerIsRepeated(String personId, int version, BoundaryView.Outcome outcome) {
        requirePartner(personId);
        BoundaryView.Version current = current();
        return current.version() == version && current.outcome() == outcome && personId.equals(current.answeredBy());
    }

    private void requireAnswerable(String personId, int version) {
        requireNotRetired();
        BoundaryView.Version current = current();
        if (version != current.version()) {
            throw new RuleViolation("version " + version + " is not the current version (" + current.version() + ")");
        }
        if (state != BoundaryState.PROPOSED) {
            throw new RuleViolation("this version has already been answered");
        }
        if (personId.equals(current.proposedBy())) {
            throw new AccessDenied("only your partner can answer a boundary version you proposed");
        }
    }

    @CommandHandler
    public BoundaryView handle(ReviseBoundary command) {
        requirePartner(command.personId());
        if (revisionKeys.contains(command.idempotencyKey())) {
            return view(); // a retried revision: already recorded
        }
        requireNotRetired();
        if (command.expectedVersion() != current().version()) {
            throw new RuleViolation("the boundary has changed since version " + command.expectedVersion() + "; it is at version "
                    + current().version());
        }
        validate(command.encryptedText(), command.category(), command.appliesTo(), partners);
        apply(new BoundaryRevised(boundaryId, coupleId, current().version() + 1, command.personId(), partnerOf(command.personId()),
                command.encryptedText(), command.category(), List.copyOf(command.appliesTo()), command.reviewAt(),
                command.idempotencyKey(), command.now()));
        return view();
    }

    @CommandHandler
    public BoundaryView handle(PauseBoundary command) {
        requirePartner(command.personId());
        if (state == BoundaryState.PAUSED) {
            return view();
        }
        if (state != BoundaryState.ACTIVE) {
            throw new RuleViolation("only a boundary in force can be paused");
        }
        apply(new BoundaryPaused(boundaryId, coupleId, command.personId(), command.now()));
        return view();
    }

    @CommandHandler
    public BoundaryView handle(ResumeBoundary command) {
        requirePartner(command.personId());
        if (state == BoundaryState.ACTIVE) {
            return view();
        }
        if (state != BoundaryState.PAUSED) {
            throw new RuleViolation("only a paused boundary can be resumed");
        }
        apply(new BoundaryResumed(boundaryId, coupleId, command.personId(), command.now()));
        return view();
    }

    @CommandHandler
    public BoundaryView handle(RetireBoundary command) {
        requirePartner(command.personId());
        if (state != BoundaryState.RETIRED) {
            apply(new BoundaryRetired(boundaryId, coupleId, command.personId(), command.now()));
        }
        return view();
    }

    /**
     * The review date of a version in force (or paused) has come: both partners are asked to look at it again.
     * Announced for a version that was since revised, retired or declined, or announced again, it changes nothing.
     */
    @CommandHandler
    public void handle(ReachReviewDate command) {
        BoundaryView.Version current = current();
        boolean inForce = state == BoundaryState.ACTIVE || state == BoundaryState.PAUSED;
        if (!inForce || current.version() != command.version() || reviewedVersions.contains(command.version())
                || current.reviewAt() == null || command.now().isBefore(current.reviewAt())) {
            return;
        }
        apply(new BoundaryReviewDue(boundaryId, coupleId, current.version(), partners, current.reviewAt(), command.now()));
    }

    /**
     * A check-in's report. One that does not belong to this couple is ignored: a check-in cannot name another
     * couple's boundary. A report repeated (a redelivery, or an amendment giving the same answer) changes nothing.
     */
    @CommandHandler
    public void handle(ReportBoundary command) {
        if (boundaryId == null || !command.coupleId().equals(coupleId) || !partners.contains(command.personId())) {
            return;
        }
        boolean inForce = state == BoundaryState.ACTIVE;
        Boolean previous = countedReports.get(command.checkInId());
        if (previous != null && previous == command.kept()) {
            return;
        }
        if (previous == null && !inForce && reportedUncounted.contains(command.checkInId() + "/" + command.kept())) {
            return;
        }
        Map<String, Boolean> after = new HashMap<>(countedReports);
        if (inForce) {
            after.put(command.checkInId(), command.kept());
        }
        int kept = (int) after.values().stream().filter(k -> k).count();
        int crossed = after.size() - kept;
        apply(new BoundaryReported(boundaryId, coupleId, current().version(), command.checkInId(), command.personId(),
                partnerOf(command.personId()), command.kept(), inForce, category, kept, crossed, command.reportedAt()));
    }

    private int keptCount() {
        return (int) countedReports.values().stream().filter(k -> k).count();
    }

    private void requirePartner(String personId) {
        if (!partners.contains(personId)) {
            throw new AccessDenied("not a partner in this couple");
        }
    }

    private void requireNotRetired() {
        if (state == BoundaryState.RETIRED) {
            throw new RuleViolation("this boundary has been retired");
        }
    }

    private String partnerOf(String personId) {
        return partners.stream().filter(p -> !p.equals(personId)).findFirst().orElseThrow();
    }

    private BoundaryView.Version current() {
        return versions.get(versions.size() - 1);
    }

    public String coupleId() {
        return coupleId;
    }

    public boolean hasPartner(String personId) {
        return partners != null && partners.contains(personId);
    }

    public BoundaryView view() {
        int kept = keptCount();
        return new BoundaryView(boundaryId, coupleId, state, List.copyOf(versions), List.copyOf(stateChanges), kept,
                countedReports.size() - kept, acceptedAt);
    }

    @EventSourcingHandler
    void on(BoundaryProposed event) {
        boundaryId = event.boundaryId();
        coupleId = event.coupleId();
        partners = List.of(event.proposedByPersonId(), event.partnerPersonId());
        state = BoundaryState.PROPOSED;
        category = event.category();
        versions.add(new BoundaryView.Version(event.version(), event.encryptedText(), event.category(), event.appliesTo(),
                event.proposedByPersonId(), event.proposedAt(), event.reviewAt(), BoundaryView.Outcome.AWAITING_ANSWER, null, null));
    }

    @EventSourcingHandler
    void on(BoundaryRevised event) {
        BoundaryView.Version previous = current();
        if (previous.outcome() == BoundaryView.Outcome.AWAITING_ANSWER) {
            versions.set(versions.size() - 1, previous.answered(BoundaryView.Outcome.WITHDRAWN, event.revisedByPersonId(), event.revisedAt()));
        }
        versions.add(new BoundaryView.Version(event.version(), event.encryptedText(), event.category(), event.appliesTo(),
                event.revisedByPersonId(), event.revisedAt(), event.reviewAt(), BoundaryView.Outcome.AWAITING_ANSWER, null, null));
        revisionKeys.add(event.idempotencyKey());
        category = event.category();
        state = BoundaryState.PROPOSED;
        acceptedAt = null;
    }

    @EventSourcingHandler
    void on(BoundaryAccepted event) {
        versions.set(versions.size() - 1, current().answered(BoundaryView.Outcome.ACCEPTED, event.acceptedByPersonId(), event.acceptedAt()));
        state = BoundaryState.ACTIVE;
        acceptedAt = event.acceptedAt();
    }

    @EventSourcingHandler
    void on(BoundaryDeclined event) {
        versions.set(versions.size() - 1, current().answered(BoundaryView.Outcome.DECLINED, event.declinedByPersonId(), event.declinedAt()));
        state = BoundaryState.DECLINED;
    }

    @EventSourcingHandler
    void on(BoundaryPaused event) {
        state = BoundaryState.PAUSED;
        stateChanges.add(new BoundaryView.StateChange(BoundaryState.PAUSED, event.pausedByPersonId(), event.pausedAt()));
    }

    @EventSourcingHandler
    void on(BoundaryResumed event) {
        state = BoundaryState.ACTIVE;
        stateChanges.add(new BoundaryView.StateChange(BoundaryState.ACTIVE, event.resumedByPersonId(), event.resumedAt()));
    }

    @EventSourcingHandler
    void on(BoundaryRetired event) {
        state = BoundaryState.RETIRED;
        stateChanges.add(new BoundaryView.StateChange(BoundaryState.RETIRED, event.retiredByPersonId(), event.retiredAt()));
    }

    @EventSourcingHandler
    void on(BoundaryReported event) {
        if (event.counted()) {
            countedReports.put(event.checkInId(), event.kept());
        } else {
            reportedUncounted.add(event.checkInId() + "/" + event.kept());
        }
    }

    @EventSourcingHandler
    void on(BoundaryReviewDue event) {
        reviewedVersions.add(event.version());
    }
}
