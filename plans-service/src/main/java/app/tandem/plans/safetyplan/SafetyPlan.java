package app.tandem.plans.safetyplan;

import app.tandem.plans.safetyplan.SafetyPlanCommands.AcknowledgeVersion;
import app.tandem.plans.safetyplan.SafetyPlanCommands.EditSection;
import app.tandem.plans.safetyplan.SafetyPlanEvents.PrivateItemsEdited;
import app.tandem.plans.safetyplan.SafetyPlanEvents.SafetyPlanStarted;
import app.tandem.plans.safetyplan.SafetyPlanEvents.SectionEdited;
import app.tandem.plans.safetyplan.SafetyPlanEvents.VersionAcknowledged;
import app.tandem.plans.safetyplan.SafetyPlanEvents.VersionAgreed;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A couple's safety plan: one section per partner, in versions. A version is agreed when both partners have
 * acknowledged it; an edit after agreement starts a new draft, and an edit to a draft withdraws the
 * acknowledgements it had, since they were given to other words. Every version stays in the history. Items a
 * person keeps private belong to no version: editing them starts no draft, withdraws nothing and prompts nobody.
 */
@Aggregate
public class SafetyPlan {

    @AggregateIdentifier
    private String planId;
    private String coupleId;
    private List<String> partners;
    private final List<PlanVersion> versions = new ArrayList<>();
    private final Set<String> editKeys = new HashSet<>();
    private final Map<String, PlanSection> privateItems = new LinkedHashMap<>();

    protected SafetyPlan() {
        // for Axon
    }

    /** One plan per couple, with an identifier of its own so it never collides with another aggregate. */
    public static String idFor(String coupleId) {
        return UUID.nameUUIDFromBytes(("safety-plan\u0000" + coupleId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public PlanView handle(EditSection command) {
        if (planId == null) {
            if (command.partners().size() != 2) {
                throw new RuleViolation("your partner has not joined yet");
            }
            apply(new SafetyPlanStarted(command.planId(), command.coupleId(), List.copyOf(command.partners()), command.now()));
        }
        requirePartner(command.personId());
        if (editKeys.contains(command.idempotencyKey())) {
            return view(); // a retried edit: already recorded
        }
        if (command.section() == null && command.privateItems() == null) {
            throw new RuleViolation("an edit needs a section or private items");
        }
        if (command.section() != null) {
            Optional<PlanVersion> draft = draft();
            int version = draft.map(PlanVersion::version).orElse(versions.size() + 1);
            int basedOn = agreed().map(PlanVersion::version).orElse(0);
            apply(new SectionEdited(planId, coupleId, version, draft.isEmpty(), draft.isEmpty() ? basedOn : 0, command.personId(),
                    partnerOf(command.personId()), command.section(), command.idempotencyKey(), command.now(),
                    command.coupleDissolved()));
        }
        if (command.privateItems() != null) {
            apply(new PrivateItemsEdited(planId, coupleId, command.personId(), command.privateItems(), command.idempotencyKey(),
                    command.now()));
        }
        return view();
    }

    @CommandHandler
    public PlanView handle(AcknowledgeVersion command) {
        requirePartner(command.personId());
        if (versions.isEmpty()) {
            throw new NotFound("not found"); // private items alone make no plan the partner could tell from none
        }
        PlanVersion target = versions.stream().filter(v -> v.version() == command.version()).findFirst()
                .orElseThrow(() -> new RuleViolation("there is no version " + command.version()));
        if (target.acknowledgedBy().contains(command.personId())) {
            return view(); // already acknowledged: a retry changes nothing
        }
        if (target.status() != PlanVersion.Status.DRAFT) {
            throw new RuleViolation("version " + command.version() + " is not the draft being written");
        }
        apply(new VersionAcknowledged(planId, coupleId, command.version(), command.personId(), command.now()));
        if (draft().orElseThrow().acknowledgedBy().containsAll(partners)) {
            apply(new VersionAgreed(planId, coupleId, command.version(), partners, command.now()));
        }
        return view();
    }

    private void requirePartner(String personId) {
        if (!partners.contains(personId)) {
            throw new AccessDenied("not a partner in this couple");
        }
    }

    private String partnerOf(String personId) {
        return partners.stream().filter(p -> !p.equals(personId)).findFirst().orElseThrow();
    }

    public Optional<PlanVersion> draft() {
        return versions.isEmpty() || versions.get(versions.size() - 1).status() != PlanVersion.Status.DRAFT
                ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    public Optional<PlanVersion> agreed() {
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).status() == PlanVersion.Status.AGREED) {
                return Optional.of(versions.get(i));
            }
        }
        return Optional.empty();
    }

    public PlanView view() {
        return new PlanView(planId, coupleId, partners, List.copyOf(versions), Map.copyOf(privateItems));
    }

    @EventSourcingHandler
    void on(SafetyPlanStarted event) {
        planId = event.planId();
        coupleId = event.coupleId();
        partners = List.copyOf(event.partners());
    }

    @EventSourcingHandler
    void on(SectionEdited event) {
        editKeys.add(event.idempotencyKey());
        if (event.newDraft()) {
            // a new draft starts from the agreed sections; only its authors' edits date it
            Map<String, PlanSection> sections = versions.stream().filter(v -> v.version() == event.basedOnVersion()).findFirst()
                    .map(PlanVersion::sections).orElse(Map.of());
            versions.add(new PlanVersion(event.version(), PlanVersion.Status.DRAFT, sections, List.of(), event.editedAt(), null, Map.of())
                    .editedBy(event.personId(), event.section(), event.editedAt()));
        } else {
            versions.set(versions.size() - 1, versions.get(versions.size() - 1).editedBy(event.personId(), event.section(), event.editedAt()));
        }
    }

    @EventSourcingHandler
    void on(PrivateItemsEdited event) {
        editKeys.add(event.idempotencyKey());
        privateItems.put(event.personId(), event.items());
    }

    @EventSourcingHandler
    void on(VersionAcknowledged event) {
        int index = indexOf(event.version());
        versions.set(index, versions.get(index).acknowledgedBy(event.personId()));
    }

    @EventSourcingHandler
    void on(VersionAgreed event) {
        for (int i = 0; i < versions.size(); i++) {
            PlanVersion version = versions.get(i);
            if (version.status() == PlanVersion.Status.AGREED) {
                versions.set(i, version.withStatus(PlanVersion.Status.SUPERSEDED, version.agreedAt()));
            }
        }
        int index = indexOf(event.version());
        versions.set(index, versions.get(index).withStatus(PlanVersion.Status.AGREED, event.agreedAt()));
    }

    private int indexOf(int version) {
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).version() == version) {
                return i;
            }
        }
        throw new IllegalStateException("no version " + version);
    }
}
