package app.tandem.plans.safetyplan;

import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.platform.grpc.Unary;
import app.tandem.platform.security.Caller;
import io.grpc.stub.StreamObserver;
import app.tandem.api.v1.AcknowledgeSafetyPlanRequest;
import app.tandem.api.v1.CompareSafetyPlanVersionsRequest;
import app.tandem.api.v1.CrisisLine;
import app.tandem.api.v1.EditSafetyPlanSectionRequest;
import app.tandem.api.v1.GetSafetyPlanHistoryRequest;
import app.tandem.api.v1.GetSafetyPlanHistoryResponse;
import app.tandem.api.v1.GetSafetyPlanRequest;
import app.tandem.api.v1.RelapseResponseStep;
import app.tandem.api.v1.RelapseRole;
import app.tandem.api.v1.RelapseTimeframe;
import app.tandem.api.v1.SafetyPlanComparison;
import app.tandem.api.v1.SafetyPlanContact;
import app.tandem.api.v1.SafetyPlanSection;
import app.tandem.api.v1.SafetyPlanVersion;
import app.tandem.api.v1.SafetyPlanVersionStatus;
import app.tandem.plans.PlansProperties;
import app.tandem.plans.membership.CouplePartners;
import app.tandem.plans.safetyplan.PlanSection.Contact;
import app.tandem.plans.safetyplan.PlanSection.Step;
import app.tandem.plans.safetyplan.SafetyPlanCommands.AcknowledgeVersion;
import app.tandem.plans.safetyplan.SafetyPlanCommands.EditSection;
import app.tandem.platform.axon.Aggregates;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.grpc.Timestamps;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The safety plan at the edge: validation before encryption, membership, and plaintext only on the way out. */
@Service
public class SafetyPlanEndpoint implements PlansServiceGrpc.AsyncService {

    public static final int MAX_ITEMS = 20;
    public static final int MAX_ITEM_LENGTH = 500;
    public static final int MAX_NAME_LENGTH = 100;
    private static final Pattern PHONE = Pattern.compile("[0-9+()\\- ]{0,30}");
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z0-9_-]{0,35}");

    private final CommandGateway commands;
    private final Aggregates aggregates;
    private final Repository<SafetyPlan> plans;
    private final CouplePartners couples;
    private final PersonalDataCipher cipher;
    private final PlansProperties properties;
    private final Clock clock;

    public SafetyPlanEndpoint(CommandGateway commands, Aggregates aggregates, Repository<SafetyPlan> plans, CouplePartners couples, PersonalDataCipher cipher,
                              PlansProperties properties, Clock clock) {
        this.commands = commands;
        this.aggregates = aggregates;
        this.plans = plans;
        this.couples = couples;
        this.cipher = cipher;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void editSafetyPlanSection(EditSafetyPlanSectionRequest request, StreamObserver<app.tandem.api.v1.SafetyPlan> response) {
        String actor = Caller.current().personId();
        Validation validation = new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getCoupleId(), "couple_id")
                .require(request.hasSection() || request.hasPrivateItems(), "section", "is required unless private_items is set");
        validateSection(validation, "section", request.getSection());
        validateSection(validation, "private_items", request.getPrivateItems());
        validation.orThrow();
        CouplePartners.Couple couple = couples.requireMember(request.getCoupleId(), actor);
        PlanSection section = request.hasSection() ? encrypted(actor, request.getSection()) : null;
        PlanSection privateItems = request.hasPrivateItems() ? encrypted(actor, request.getPrivateItems()) : null;
        PlanView plan = commands.sendAndWait(new EditSection(SafetyPlan.idFor(couple.coupleId()), couple.coupleId(),
                couple.partners(), actor, section, privateItems, couple.dissolved(),
                request.getIdempotencyKey(), clock.instant()));
        Unary.reply(response, toProto(plan, "", new Reader(actor, couple.dissolved())));
    }

    /**
     * Who reads the plan: their own private items only, and once the couple has dissolved, only their own section
     * of every version.
     */
    private record Reader(String personId, boolean coupleDissolved) {

        boolean sees(String author) {
            return !coupleDissolved || author.equals(personId);
        }

        PlanView seen(PlanView plan) {
            return plan.asSeenBy(personId, coupleDissolved);
        }
    }

    private Reader reader(String coupleId, String personId) {
        return new Reader(personId, couples.requireMember(coupleId, personId).dissolved());
    }

    private PlanSection encrypted(String author, SafetyPlanSection section) {
        return fromProto(section).map(text -> cipher.encrypt(author, text));
    }

    @Override
    public void acknowledgeSafetyPlan(AcknowledgeSafetyPlanRequest request, StreamObserver<app.tandem.api.v1.SafetyPlan> response) {
        String actor = Caller.current().personId();
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getCoupleId(), "couple_id")
                .require(request.getVersion() >= 1, "version", "must be the version being acknowledged (1 or more)")
                .orThrow();
        couples.requireSharedBy(request.getCoupleId(), actor);
        PlanView plan = commands.sendAndWait(new AcknowledgeVersion(SafetyPlan.idFor(request.getCoupleId()), actor,
                request.getVersion(), clock.instant()));
        Unary.reply(response, toProto(plan, "", new Reader(actor, false)));
    }

    @Override
    public void getSafetyPlan(GetSafetyPlanRequest request, StreamObserver<app.tandem.api.v1.SafetyPlan> response) {
        String actor = Caller.current().personId();
        new Validation()
                .requireUuid(request.getCoupleId(), "couple_id")
                .require(LOCALE.matcher(request.getLocale()).matches(), "locale", "must be a BCP 47 language tag such as en-GB")
                .orThrow();
        Reader reader = reader(request.getCoupleId(), actor);
        Unary.reply(response, load(request.getCoupleId()).map(plan -> toProto(plan, request.getLocale(), reader))
                .orElseGet(() -> app.tandem.api.v1.SafetyPlan.newBuilder().setCoupleId(request.getCoupleId())
                        .setCoupleDissolved(reader.coupleDissolved())
                        .addAllCrisisLines(crisisLines(request.getLocale())).build()));
    }

    @Override
    public void getSafetyPlanHistory(GetSafetyPlanHistoryRequest request, StreamObserver<GetSafetyPlanHistoryResponse> response) {
        String actor = Caller.current().personId();
        new Validation().requireUuid(request.getCoupleId(), "couple_id").orThrow();
        Reader reader = reader(request.getCoupleId(), actor);
        GetSafetyPlanHistoryResponse.Builder result = GetSafetyPlanHistoryResponse.newBuilder();
        load(request.getCoupleId()).ifPresent(plan -> reader.seen(plan).versions().forEach(v -> result.addVersions(toProto(v, reader))));
        Unary.reply(response, result.build());
    }

    @Override
    public void compareSafetyPlanVersions(CompareSafetyPlanVersionsRequest request, StreamObserver<SafetyPlanComparison> response) {
        String actor = Caller.current().personId();
        new Validation()
                .requireUuid(request.getCoupleId(), "couple_id")
                .require(request.getFromVersion() >= 1, "from_version", "must be a version (1 or more)")
                .require(request.getToVersion() >= 1, "to_version", "must be a version (1 or more)")
                .orThrow();
        Reader reader = reader(request.getCoupleId(), actor);
        // private items alone make no plan: the partner cannot tell them from none
        PlanView plan = load(request.getCoupleId()).map(reader::seen).filter(seen -> !seen.versions().isEmpty())
                .orElseThrow(() -> new NotFound("this couple has no safety plan yet"));
        PlanVersion from = plan.version(request.getFromVersion()).orElseThrow(() -> new NotFound("no version " + request.getFromVersion()));
        PlanVersion to = plan.version(request.getToVersion()).orElseThrow(() -> new NotFound("no version " + request.getToVersion()));
        Unary.reply(response, SafetyPlanComparison.newBuilder()
                .setFromVersion(from.version())
                .setToVersion(to.version())
                .addAllChanges(PlanComparison.compare(decrypted(from, reader), decrypted(to, reader)))
                .build());
    }

    private java.util.Optional<PlanView> load(String coupleId) {
        return aggregates.read(plans, SafetyPlan.idFor(coupleId), SafetyPlan::view);
    }

    /** The sections the reader may see, in plaintext; an erased author's section reads as empty. */
    private Map<String, PlanSection> decrypted(PlanVersion version, Reader reader) {
        Map<String, PlanSection> sections = new java.util.LinkedHashMap<>();
        version.sections().forEach((author, section) -> {
            if (reader.sees(author)) {
                sections.put(author, decrypted(author, section));
            }
        });
        return sections;
    }

    private PlanSection decrypted(String author, PlanSection section) {
        return section.map(text -> cipher.decrypt(author, text).orElse(""));
    }

    /** {@code name} is the request's field holding the section, named in every refusal. */
    static void validateSection(Validation validation, String name, SafetyPlanSection section) {
        String prefix = name + ".";
        items(validation, prefix + "warning_signs", section.getWarningSignsList());
        items(validation, prefix + "triggers", section.getTriggersList());
        items(validation, prefix + "coping_strategies", section.getCopingStrategiesList());
        contacts(validation, prefix + "distraction_people", section.getDistractionPeopleList());
        items(validation, prefix + "distraction_places", section.getDistractionPlacesList());
        contacts(validation, prefix + "help_contacts", section.getHelpContactsList());
        contacts(validation, prefix + "professionals", section.getProfessionalsList());
        items(validation, prefix + "safer_environment", section.getSaferEnvironmentList());
        validation.require(section.getNaloxoneLocation().length() <= MAX_ITEM_LENGTH, prefix + "naloxone_location",
                "must be at most " + MAX_ITEM_LENGTH + " characters");
        items(validation, prefix + "reasons_for_recovery", section.getReasonsForRecoveryList());
        List<RelapseResponseStep> steps = section.getRelapseResponseList();
        validation.require(steps.size() <= MAX_ITEMS * 3, prefix + "relapse_response", "may hold at most " + MAX_ITEMS * 3 + " steps");
        for (int i = 0; i < steps.size() && i < MAX_ITEMS * 3; i++) {
            RelapseResponseStep step = steps.get(i);
            String field = prefix + "relapse_response[" + i + "]";
            validation
                    .require(step.getTimeframeValue() != 0 && RelapseTimeframe.forNumber(step.getTimeframeValue()) != null,
                            field + ".timeframe", "must be immediately, first week or first month")
                    .require(step.getRoleValue() != 0 && RelapseRole.forNumber(step.getRoleValue()) != null,
                            field + ".role", "must say whether the step is for your lapse or your partner's")
                    .requireText(step.getText(), field + ".text", MAX_ITEM_LENGTH);
        }
    }

    private static void items(Validation validation, String field, List<String> values) {
        validation.require(values.size() <= MAX_ITEMS, field, "may hold at most " + MAX_ITEMS + " items");
        for (int i = 0; i < values.size() && i < MAX_ITEMS; i++) {
            validation.requireText(values.get(i), field + "[" + i + "]", MAX_ITEM_LENGTH);
        }
    }

    private static void contacts(Validation validation, String field, List<SafetyPlanContact> values) {
        validation.require(values.size() <= MAX_ITEMS, field, "may hold at most " + MAX_ITEMS + " contacts");
        for (int i = 0; i < values.size() && i < MAX_ITEMS; i++) {
            SafetyPlanContact contact = values.get(i);
            String prefix = field + "[" + i + "]";
            validation
                    .requireText(contact.getName(), prefix + ".name", MAX_NAME_LENGTH)
                    .require(PHONE.matcher(contact.getPhone()).matches(), prefix + ".phone",
                            "may hold only digits, spaces and + ( ) -, at most 30 characters")
                    .require(contact.getRelationship().length() <= MAX_NAME_LENGTH, prefix + ".relationship",
                            "must be at most " + MAX_NAME_LENGTH + " characters");
        }
    }

    static PlanSection fromProto(SafetyPlanSection section) {
        return new PlanSection(List.copyOf(section.getWarningSignsList()), List.copyOf(section.getTriggersList()),
                List.copyOf(section.getCopingStrategiesList()), contacts(section.getDistractionPeopleList()),
                List.copyOf(section.getDistractionPlacesList()), contacts(section.getHelpContactsList()),
                contacts(section.getProfessionalsList()), List.copyOf(section.getSaferEnvironmentList()),
                section.getNaloxoneLocation(), List.copyOf(section.getReasonsForRecoveryList()),
                section.getRelapseResponseList().stream().map(s -> new Step(
                        PlanSection.Timeframe.valueOf(s.getTimeframe().name().substring("RELAPSE_".length())),
                        PlanSection.Role.valueOf(s.getRole().name().substring("RELAPSE_ROLE_".length())),
                        s.getText())).toList());
    }

    private static List<Contact> contacts(List<SafetyPlanContact> contacts) {
        return contacts.stream().map(c -> new Contact(c.getName(), c.getPhone(), c.getRelationship())).toList();
    }

    static SafetyPlanSection toProto(String author, PlanSection section) {
        return SafetyPlanSection.newBuilder()
                .setPersonId(author)
                .addAllWarningSigns(section.warningSigns())
                .addAllTriggers(section.triggers())
                .addAllCopingStrategies(section.copingStrategies())
                .addAllDistractionPeople(contactsToProto(section.distractionPeople()))
                .addAllDistractionPlaces(section.distractionPlaces())
                .addAllHelpContacts(contactsToProto(section.helpContacts()))
                .addAllProfessionals(contactsToProto(section.professionals()))
                .addAllSaferEnvironment(section.saferEnvironment())
                .setNaloxoneLocation(section.naloxoneLocation())
                .addAllReasonsForRecovery(section.reasonsForRecovery())
                .addAllRelapseResponse(section.relapseResponse().stream().map(s -> RelapseResponseStep.newBuilder()
                        .setTimeframe(RelapseTimeframe.valueOf("RELAPSE_" + s.timeframe().name()))
                        .setRole(RelapseRole.valueOf("RELAPSE_ROLE_" + s.role().name()))
                        .setText(s.text()).build()).toList())
                .build();
    }

    private static List<SafetyPlanContact> contactsToProto(List<Contact> contacts) {
        return contacts.stream().map(c -> SafetyPlanContact.newBuilder().setName(c.name()).setPhone(c.phone())
                .setRelationship(c.relationship()).build()).toList();
    }

    private app.tandem.api.v1.SafetyPlan toProto(PlanView stored, String locale, Reader reader) {
        PlanView plan = reader.seen(stored);
        app.tandem.api.v1.SafetyPlan.Builder result = app.tandem.api.v1.SafetyPlan.newBuilder()
                .setCoupleId(plan.coupleId())
                .addAllCrisisLines(crisisLines(locale))
                .setCoupleDissolved(reader.coupleDissolved());
        plan.agreed().ifPresent(v -> result.setAgreed(toProto(v, reader)));
        plan.draft().ifPresent(v -> result.setDraft(toProto(v, reader)));
        if (plan.privateItems().containsKey(reader.personId())) {
            result.setPrivateItems(toProto(reader.personId(), decrypted(reader.personId(), plan.privateItemsOf(reader.personId()))));
        }
        return result.build();
    }

    private SafetyPlanVersion toProto(PlanVersion version, Reader reader) {
        SafetyPlanVersion.Builder result = SafetyPlanVersion.newBuilder()
                .setVersion(version.version())
                .setStatus(SafetyPlanVersionStatus.valueOf("PLAN_VERSION_" + version.status().name()))
                .addAllAcknowledgedByPersonIds(version.acknowledgedBy())
                .setLastEditedAt(Timestamps.of(version.lastEditedAt()));
        decrypted(version, reader).forEach((author, section) -> result.addSections(toProto(author, section)));
        if (version.agreedAt() != null) {
            result.setAgreedAt(Timestamps.of(version.agreedAt()));
        }
        return result.build();
    }

    private List<CrisisLine> crisisLines(String locale) {
        return properties.crisisLinesFor(locale).stream().map(line -> CrisisLine.newBuilder()
                .setName(line.name()).setPhone(line.phone()).setText(line.text()).setHours(line.hours()).build()).toList();
    }
}
