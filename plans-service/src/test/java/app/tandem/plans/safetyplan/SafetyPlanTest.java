package app.tandem.plans.safetyplan;

import app.tandem.plans.safetyplan.PlanSection.Contact;
import app.tandem.plans.safetyplan.PlanSection.Role;
import app.tandem.plans.safetyplan.PlanSection.Step;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;
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
import app.tandem.platform.axon.TandemSerializers;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SafetyPlanTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final String PLAN = SafetyPlan.idFor("c1");
    private static final List<String> PARTNERS = List.of("alex", "sam");

    private AggregateTestFixture<SafetyPlan> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(SafetyPlan.class);
    }

    private static PlanSection section(String warningSign) {
        return new PlanSection(List.of(warningSign), List.of(), List.of(), List.of(), List.of(),
                List.of(new Contact("pdc1:name", "pdc1:phone", "")), List.of(), List.of(), "pdc1:drawer", List.of(),
                List.of(new Step(Timeframe.IMMEDIATELY, Role.IF_I_LAPSE, "pdc1:call")));
    }

    private static SafetyPlanStarted started() {
        return new SafetyPlanStarted(PLAN, "c1", PARTNERS, NOW);
    }

    private static SectionEdited edited(int version, boolean newDraft, int basedOn, String person, String key) {
        return new SectionEdited(PLAN, "c1", version, newDraft, basedOn, person, person.equals("alex") ? "sam" : "alex",
                section("pdc1:" + key), key, NOW);
    }

    @Test
    void theFirstEditStartsThePlanWithDraftOne() {
        fixture.givenNoPriorActivity()
                .when(new EditSection(PLAN, "c1", PARTNERS, "alex", section("pdc1:k1"), "k1", NOW))
                .expectEvents(started(), edited(1, true, 0, "alex", "k1"));
    }

    @Test
    void aPlanNeedsTwoPartners() {
        fixture.givenNoPriorActivity()
                .when(new EditSection(PLAN, "c1", List.of("alex"), "alex", section("pdc1:k1"), "k1", NOW))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void someoneOutsideTheCoupleCannotEditOrAcknowledge() {
        fixture.given(started(), edited(1, true, 0, "alex", "k1"))
                .when(new EditSection(PLAN, "c1", PARTNERS, "robin", section("pdc1:x"), "k2", NOW))
                .expectException(AccessDenied.class)
                .expectNoEvents();
        fixture.given(started(), edited(1, true, 0, "alex", "k1"))
                .when(new AcknowledgeVersion(PLAN, "robin", 1, NOW))
                .expectException(AccessDenied.class)
                .expectNoEvents();
    }

    @Test
    void oneAcknowledgementIsNotAnAgreement() {
        fixture.given(started(), edited(1, true, 0, "alex", "k1"))
                .when(new AcknowledgeVersion(PLAN, "alex", 1, NOW))
                .expectEvents(new VersionAcknowledged(PLAN, "c1", 1, "alex", NOW))
                .expectState(plan -> assertThat(plan.agreed()).isEmpty());
    }

    @Test
    void agreementNeedsBothPartners() {
        fixture.given(started(), edited(1, true, 0, "alex", "k1"), new VersionAcknowledged(PLAN, "c1", 1, "alex", NOW))
                .when(new AcknowledgeVersion(PLAN, "sam", 1, NOW))
                .expectEvents(new VersionAcknowledged(PLAN, "c1", 1, "sam", NOW), new VersionAgreed(PLAN, "c1", 1, PARTNERS, NOW))
                .expectState(plan -> {
                    assertThat(plan.agreed()).map(PlanVersion::version).contains(1);
                    assertThat(plan.draft()).isEmpty();
                });
    }

    @Test
    void acknowledgingTwiceChangesNothing() {
        fixture.given(started(), edited(1, true, 0, "alex", "k1"), new VersionAcknowledged(PLAN, "c1", 1, "alex", NOW))
                .when(new AcknowledgeVersion(PLAN, "alex", 1, NOW))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anEditToADraftWithdrawsItsAcknowledgements() {
        fixture.given(started(), edited(1, true, 0, "alex", "k1"), new VersionAcknowledged(PLAN, "c1", 1, "alex", NOW))
                .when(new EditSection(PLAN, "c1", PARTNERS, "sam", section("pdc1:k2"), "k2", NOW))
                .expectEvents(edited(1, false, 0, "sam", "k2"))
                .expectState(plan -> {
                    PlanVersion draft = plan.draft().orElseThrow();
                    assertThat(draft.acknowledgedBy()).isEmpty();
                    assertThat(draft.sections()).containsOnlyKeys("alex", "sam");
                });
    }

    @Test
    void anEditAfterAgreementStartsANewDraftFromTheAgreedVersion() {
        fixture.given(started(), edited(1, true, 0, "alex", "k1"), edited(1, false, 0, "sam", "k2"),
                        new VersionAcknowledged(PLAN, "c1", 1, "alex", NOW), new VersionAcknowledged(PLAN, "c1", 1, "sam", NOW),
                        new VersionAgreed(PLAN, "c1", 1, PARTNERS, NOW))
                .when(new EditSection(PLAN, "c1", PARTNERS, "alex", section("pdc1:k3"), "k3", NOW))
                .expectEvents(edited(2, true, 1, "alex", "k3"))
                .expectState(plan -> {
                    assertThat(plan.agreed()).map(PlanVersion::version).contains(1);
                    PlanVersion draft = plan.draft().orElseThrow();
                    assertThat(draft.version()).isEqualTo(2);
                    assertThat(draft.sections().get("sam").warningSigns()).containsExactly("pdc1:k2");
                    assertThat(draft.sections().get("alex").warningSigns()).containsExactly("pdc1:k3");
                    assertThat(plan.agreed().orElseThrow().sections().get("alex").warningSigns()).containsExactly("pdc1:k1");
                });
    }

    @Test
    void agreeingANewVersionSupersedesTheEarlierOneWhichStaysInHistory() {
        fixture.given(started(), edited(1, true, 0, "alex", "k1"),
                        new VersionAcknowledged(PLAN, "c1", 1, "alex", NOW), new VersionAcknowledged(PLAN, "c1", 1, "sam", NOW),
                        new VersionAgreed(PLAN, "c1", 1, PARTNERS, NOW), edited(2, true, 1, "sam", "k2"),
                        new VersionAcknowledged(PLAN, "c1", 2, "sam", NOW))
                .when(new AcknowledgeVersion(PLAN, "alex", 2, NOW))
                .expectEvents(new VersionAcknowledged(PLAN, "c1", 2, "alex", NOW), new VersionAgreed(PLAN, "c1", 2, PARTNERS, NOW))
                .expectState(plan -> assertThat(plan.view().versions()).extracting(PlanVersion::status)
                        .containsExactly(PlanVersion.Status.SUPERSEDED, PlanVersion.Status.AGREED));
    }

    @Test
    void anAgreedOrUnknownVersionCannotBeAcknowledgedAnew() {
        fixture.given(started(), edited(1, true, 0, "alex", "k1"), new VersionAcknowledged(PLAN, "c1", 1, "alex", NOW),
                        new VersionAcknowledged(PLAN, "c1", 1, "sam", NOW), new VersionAgreed(PLAN, "c1", 1, PARTNERS, NOW),
                        edited(2, true, 1, "alex", "k2"))
                .when(new AcknowledgeVersion(PLAN, "alex", 7, NOW))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void aRetriedEditIsRecordedOnce() {
        fixture.given(started(), edited(1, true, 0, "alex", "k1"))
                .when(new EditSection(PLAN, "c1", PARTNERS, "alex", section("pdc1:k1"), "k1", NOW))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    private static EditSection privateEdit(String person, PlanSection items, String key) {
        return new EditSection(PLAN, "c1", PARTNERS, person, null, items, false, key, NOW);
    }

    @Test
    void privateItemsAloneStartNoVersion() {
        fixture.givenNoPriorActivity()
                .when(privateEdit("alex", section("pdc1:secret"), "k1"))
                .expectEvents(started(), new PrivateItemsEdited(PLAN, "c1", "alex", section("pdc1:secret"), "k1", NOW))
                .expectState(plan -> {
                    assertThat(plan.view().versions()).isEmpty();
                    assertThat(plan.view().privateItemsOf("alex").warningSigns()).containsExactly("pdc1:secret");
                    assertThat(plan.view().privateItemsOf("sam")).isEqualTo(PlanSection.empty());
                });
    }

    @Test
    void editingPrivateItemsAfterAgreementStartsNoDraftAndWithdrawsNothing() {
        fixture.given(started(), edited(1, true, 0, "alex", "k1"), new VersionAcknowledged(PLAN, "c1", 1, "alex", NOW),
                        new VersionAcknowledged(PLAN, "c1", 1, "sam", NOW), new VersionAgreed(PLAN, "c1", 1, PARTNERS, NOW))
                .when(privateEdit("alex", section("pdc1:secret"), "k2"))
                .expectEvents(new PrivateItemsEdited(PLAN, "c1", "alex", section("pdc1:secret"), "k2", NOW))
                .expectState(plan -> {
                    assertThat(plan.draft()).isEmpty();
                    assertThat(plan.agreed().orElseThrow().acknowledgedBy()).containsExactlyInAnyOrder("alex", "sam");
                    assertThat(plan.agreed().orElseThrow().sections().get("alex").warningSigns()).containsExactly("pdc1:k1");
                });
        fixture.given(started(), edited(1, true, 0, "alex", "k1"), new VersionAcknowledged(PLAN, "c1", 1, "sam", NOW))
                .when(privateEdit("alex", section("pdc1:secret"), "k2"))
                .expectEvents(new PrivateItemsEdited(PLAN, "c1", "alex", section("pdc1:secret"), "k2", NOW))
                .expectState(plan -> assertThat(plan.draft().orElseThrow().acknowledgedBy()).containsExactly("sam"));
    }

    @Test
    void oneEditCanMoveAnItemFromTheSharedSectionToThePrivateItems() {
        fixture.given(started(), edited(1, true, 0, "alex", "k1"))
                .when(new EditSection(PLAN, "c1", PARTNERS, "alex", section("pdc1:k2"), section("pdc1:k1"), false, "k2", NOW))
                .expectEvents(edited(1, false, 0, "alex", "k2"),
                        new PrivateItemsEdited(PLAN, "c1", "alex", section("pdc1:k1"), "k2", NOW))
                .expectState(plan -> {
                    assertThat(plan.draft().orElseThrow().sections().get("alex").warningSigns()).containsExactly("pdc1:k2");
                    assertThat(plan.view().privateItemsOf("alex").warningSigns()).containsExactly("pdc1:k1");
                });
    }

    @Test
    void privateItemsAreReplacedWholeAndEachPersonKeepsTheirOwn() {
        fixture.given(started(), new PrivateItemsEdited(PLAN, "c1", "alex", section("pdc1:a"), "k1", NOW),
                        new PrivateItemsEdited(PLAN, "c1", "sam", section("pdc1:s"), "k2", NOW))
                .when(privateEdit("alex", PlanSection.empty(), "k3"))
                .expectEvents(new PrivateItemsEdited(PLAN, "c1", "alex", PlanSection.empty(), "k3", NOW))
                .expectState(plan -> {
                    assertThat(plan.view().privateItemsOf("alex")).isEqualTo(PlanSection.empty());
                    assertThat(plan.view().privateItemsOf("sam").warningSigns()).containsExactly("pdc1:s");
                });
    }

    @Test
    void aRetriedPrivateEditIsRecordedOnce() {
        fixture.given(started(), new PrivateItemsEdited(PLAN, "c1", "alex", section("pdc1:a"), "k1", NOW))
                .when(privateEdit("alex", section("pdc1:a"), "k1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(started(), new PrivateItemsEdited(PLAN, "c1", "alex", section("pdc1:a"), "k1", NOW))
                .when(new EditSection(PLAN, "c1", PARTNERS, "alex", section("pdc1:k1"), "k1", NOW))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anEditNamingNothingIsRefusedAndSomeoneOutsideCannotKeepPrivateItems() {
        fixture.given(started())
                .when(new EditSection(PLAN, "c1", PARTNERS, "alex", null, null, false, "k1", NOW))
                .expectException(RuleViolation.class)
                .expectNoEvents();
        fixture.given(started())
                .when(privateEdit("robin", section("pdc1:x"), "k1"))
                .expectException(AccessDenied.class)
                .expectNoEvents();
    }

    @Test
    void afterThePartnerLeftEachPersonStillEditsTheirSectionAndTheEditSaysSo() {
        fixture.given(started(), edited(1, true, 0, "alex", "k1"), edited(1, false, 0, "sam", "k2"))
                .when(new EditSection(PLAN, "c1", PARTNERS, "sam", section("pdc1:k3"), null, true, "k3", NOW))
                .expectEvents(new SectionEdited(PLAN, "c1", 1, false, 0, "sam", "alex", section("pdc1:k3"), "k3", NOW, true))
                .expectState(plan -> assertThat(plan.draft().orElseThrow().sections().get("sam").warningSigns())
                        .containsExactly("pdc1:k3"));
    }

    @Test
    void afterThePartnerLeftNeitherSeesWhenOrWhetherTheOtherEdits() {
        Instant left = NOW.plus(Duration.ofDays(3));
        Instant alexEdits = left.plus(Duration.ofHours(1));
        Instant samEdits = left.plus(Duration.ofHours(5));
        SectionEdited alexAfter = new SectionEdited(PLAN, "c1", 2, true, 1, "alex", "sam", section("pdc1:a2"), "k4", alexEdits, true);
        fixture.given(started(), edited(1, true, 0, "alex", "k1"), edited(1, false, 0, "sam", "k2"),
                        new VersionAcknowledged(PLAN, "c1", 1, "alex", NOW), new VersionAcknowledged(PLAN, "c1", 1, "sam", NOW),
                        new VersionAgreed(PLAN, "c1", 1, PARTNERS, NOW), alexAfter)
                .when(new EditSection(PLAN, "c1", PARTNERS, "sam", section("pdc1:s2"), null, true, "k5", samEdits))
                .expectEvents(new SectionEdited(PLAN, "c1", 2, false, 0, "sam", "alex", section("pdc1:s2"), "k5", samEdits, true))
                .expectState(plan -> {
                    PlanView stored = plan.view();
                    // alex sees the draft alex wrote, dated by alex's edit; sam's later edit changes nothing alex sees
                    PlanVersion alexSees = stored.asSeenBy("alex", true).draft().orElseThrow();
                    assertThat(alexSees.lastEditedAt()).isEqualTo(alexEdits);
                    assertThat(alexSees.editedBy()).containsOnlyKeys("alex");
                    assertThat(stored.asSeenBy("sam", true).draft().orElseThrow().lastEditedAt()).isEqualTo(samEdits);
                    assertThat(stored.asSeenBy("alex", false).draft().orElseThrow().lastEditedAt()).isEqualTo(samEdits);
                });
        // a draft only the former partner wrote shows to nobody else, neither as a version nor in the history
        fixture.given(started(), edited(1, true, 0, "alex", "k1"), edited(1, false, 0, "sam", "k2"),
                        new VersionAcknowledged(PLAN, "c1", 1, "alex", NOW), new VersionAcknowledged(PLAN, "c1", 1, "sam", NOW),
                        new VersionAgreed(PLAN, "c1", 1, PARTNERS, NOW), alexAfter)
                .when(privateEdit("sam", section("pdc1:p"), "k6"))
                .expectState(plan -> {
                    assertThat(plan.view().asSeenBy("sam", true).draft()).isEmpty();
                    assertThat(plan.view().asSeenBy("sam", true).versions()).extracting(PlanVersion::version).containsExactly(1);
                });
    }

    @Test
    void aPlanOfPrivateItemsAloneAnswersAnAcknowledgementAsNoPlanWould() {
        fixture.given(started(), new PrivateItemsEdited(PLAN, "c1", "alex", section("pdc1:a"), "k1", NOW))
                .when(new AcknowledgeVersion(PLAN, "sam", 1, NOW))
                .expectException(NotFound.class)
                .expectExceptionMessage("not found")
                .expectNoEvents();
    }

    @Test
    void onceDissolvedADraftShowsNoAcknowledgementAnEditOfTheOtherCouldWithdraw() {
        Instant later = NOW.plus(Duration.ofHours(2));
        fixture.given(started(), edited(1, true, 0, "alex", "k1"), edited(1, false, 0, "sam", "k2"),
                        new VersionAcknowledged(PLAN, "c1", 1, "sam", NOW))
                .when(new EditSection(PLAN, "c1", PARTNERS, "alex", section("pdc1:a3"), null, true, "k3", later))
                .expectState(plan -> {
                    assertThat(plan.draft().orElseThrow().acknowledgedBy()).as("stored: the edit withdrew it").isEmpty();
                    PlanVersion samSees = plan.view().asSeenBy("sam", true).draft().orElseThrow();
                    assertThat(samSees.acknowledgedBy()).isEmpty();
                    assertThat(samSees.lastEditedAt()).isEqualTo(NOW);
                    assertThat(samSees.sections().get("sam").warningSigns()).containsExactly("pdc1:k2");
                });
    }

    @Test
    void anEditStoredBeforeEditsSaidWhetherTheCoupleHadDissolvedLoadsAsShared() {
        Serializer serializer = TandemSerializers.json();
        SectionEdited event = edited(1, true, 0, "alex", "k1");
        SerializedObject<String> stored = serializer.serialize(event, String.class);
        String older = stored.getData().replace(",\"coupleDissolved\":false", "");
        assertThat(older).isNotEqualTo(stored.getData());
        SectionEdited loaded = serializer.deserialize(new SimpleSerializedObject<>(older, String.class, stored.getType()));
        assertThat(loaded).isEqualTo(event);
        assertThat(loaded.coupleDissolved()).isFalse();
    }
}
