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
import app.tandem.plans.support.Aggregates;
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
                .require(request.hasSection(), "section", "is required");
        validateSection(validation, request.getSection());
        validation.orThrow();
        CouplePartners.Couple couple = couples.requireSharedBy(request.getCoupleId(), actor);
        PlanSection section = fromProto(request.getSection()).map(text -> cipher.encrypt(actor, text));
        PlanView plan = commands.sendAndWait(new EditSection(SafetyPlan.idFor(couple.coupleId()), couple.coupleId(),
                List.of(actor, couple.partnerOf(actor)), actor, section, request.getIdempotencyKey(), clock.instant()));
        Unary.reply(response, toProto(plan, ""));
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
        Unary.reply(response, toProto(plan, ""));
    }

    @Override
    public void getSafetyPlan(GetSafetyPlanRequest request, StreamObserver<app.tandem.api.v1.SafetyPlan> response) {
        String actor = Caller.current().personId();
        new Validation()
                .requireUuid(request.getCoupleId(), "couple_id")
                .require(LOCALE.matcher(request.getLocale()).matches(), "locale", "must be a BCP 47 language tag such as en-GB")
                .orThrow();
        couples.requireSharedBy(request.getCoupleId(), actor);
        Unary.reply(response, load(request.getCoupleId()).map(plan -> toProto(plan, request.getLocale()))
                .orElseGet(() -> app.tandem.api.v1.SafetyPlan.newBuilder().setCoupleId(request.getCoupleId())
                        .addAllCrisisLines(crisisLines(request.getLocale())).build()));
    }

    @Override
    public void getSafetyPlanHistory(GetSafetyPlanHistoryRequest request, StreamObserver<GetSafetyPlanHistoryResponse> response) {
        String actor = Caller.current().personId();
        new Validation().requireUuid(request.getCoupleId(), "couple_id").orThrow();
        couples.requireSharedBy(request.getCoupleId(), actor);
        GetSafetyPlanHistoryResponse.Builder result = GetSafetyPlanHistoryResponse.newBuilder();
        load(request.getCoupleId()).ifPresent(plan -> plan.versions().forEach(v -> result.addVersions(toProto(v))));
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
        couples.requireSharedBy(request.getCoupleId(), actor);
        PlanView plan = load(request.getCoupleId()).orElseThrow(() -> new NotFound("this couple has no safety plan yet"));
        PlanVersion from = plan.version(request.getFromVersion()).orElseThrow(() -> new NotFound("no version " + request.getFromVersion()));
        PlanVersion to = plan.version(request.getToVersion()).orElseThrow(() -> new NotFound("no version " + request.getToVersion()));
        Unary.reply(response, SafetyPlanComparison.newBuilder()
                .setFromVersion(from.version())
                .setToVersion(to.version())
                .addAllChanges(PlanComparison.compare(decrypted(from), decrypted(to)))
                .build());
    }

    private java.util.Optional<PlanView> load(String coupleId) {
        return aggregates.read(plans, SafetyPlan.idFor(coupleId), SafetyPlan::view);
    }

    /** Each section in plaintext; an erased author's section reads as empty. */
    private Map<String, PlanSection> decrypted(PlanVersion version) {
        Map<String, PlanSection> sections = new java.util.LinkedHashMap<>();
        version.sections().forEach((author, section) -> sections.put(author, section.map(text -> cipher.decrypt(author, text).orElse(""))));
        return sections;
    }

    static void validateSection(Validation validation, SafetyPlanSection section) {
        items(validation, "section.warning_signs", section.getWarningSignsList());
        items(validation, "section.triggers", section.getTriggersList());
        items(validation, "section.coping_strategies", section.getCopingStrategiesList());
        contacts(validation, "section.distraction_people", section.getDistractionPeopleList());
        items(validation, "section.distraction_places", section.getDistractionPlacesList());
        contacts(validation, "section.help_contacts", section.getHelpContactsList());
        contacts(validation, "section.professionals", section.getProfessionalsList());
        items(validation, "section.safer_environment", section.getSaferEnvironmentList());
        validation.require(section.getNaloxoneLocation().length() <= MAX_ITEM_LENGTH, "section.naloxone_location",
                "must be at most " + MAX_ITEM_LENGTH + " characters");
        items(validation, "section.reasons_for_recovery", section.getReasonsForRecoveryList());
        List<RelapseResponseStep> steps = section.getRelapseResponseList();
        validation.require(steps.size() <= MAX_ITEMS * 3, "section.relapse_response", "may hold at most " + MAX_ITEMS * 3 + " steps");
        for (int i = 0; i < steps.size() && i < MAX_ITEMS * 3; i++) {
            RelapseResponseStep step = steps.get(i);
            String field = "section.relapse_response[" + i + "]";
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

    private app.tandem.api.v1.SafetyPlan toProto(PlanView plan, String locale) {
        app.tandem.api.v1.SafetyPlan.Builder result = app.tandem.api.v1.SafetyPlan.newBuilder()
                .setCoupleId(plan.coupleId())
                .addAllCrisisLines(crisisLines(locale));
        plan.agreed().ifPresent(v -> result.setAgreed(toProto(v)));
        plan.draft().ifPresent(v -> result.setDraft(toProto(v)));
        return result.build();
    }

    private SafetyPlanVersion toProto(PlanVersion version) {
        SafetyPlanVersion.Builder result = SafetyPlanVersion.newBuilder()
                .setVersion(version.version())
                .setStatus(SafetyPlanVersionStatus.valueOf("PLAN_VERSION_" + version.status().name()))
                .addAllAcknowledgedByPersonIds(version.acknowledgedBy())
                .setLastEditedAt(Timestamps.of(version.lastEditedAt()));
        decrypted(version).forEach((author, section) -> result.addSections(toProto(author, section)));
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
