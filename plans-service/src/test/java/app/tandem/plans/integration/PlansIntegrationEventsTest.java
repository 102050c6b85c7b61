package app.tandem.plans.integration;

import app.tandem.events.v1.ConversationChanged;
import app.tandem.events.v1.NeedExpressed;
import app.tandem.events.v1.SafetyPlanDraftChanged;
import app.tandem.events.v1.VictoryShared;
import app.tandem.events.v1.SharedGoalProposed;
import app.tandem.events.v1.WeekTogetherEnded;
import app.tandem.api.v1.SharedGoalKind;
import app.tandem.plans.together.SharedGoalCommands;
import app.tandem.plans.together.SharedGoalEvents;
import app.tandem.plans.together.WeekLookBackEvents;
import app.tandem.plans.conversation.ConversationCommands.Intention;
import app.tandem.plans.conversation.ConversationCommands.Preparation;
import app.tandem.plans.conversation.ConversationEvents.AgreedStepsRecorded;
import app.tandem.plans.conversation.ConversationEvents.ConversationPrepared;
import app.tandem.plans.conversation.ConversationStep;
import app.tandem.plans.need.NeedCommands;
import app.tandem.plans.need.NeedEvents;
import app.tandem.plans.victory.VictoryCommands.Kind;
import app.tandem.plans.victory.VictoryEvents.VictoryRecorded;
import app.tandem.plans.safetyplan.PlanSection;
import app.tandem.plans.safetyplan.SafetyPlanEvents.PrivateItemsEdited;
import app.tandem.plans.safetyplan.SafetyPlanEvents.SectionEdited;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlansIntegrationEventsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private final PlansIntegrationEvents translator = new PlansIntegrationEvents();

    @Test
    void aSharedEditTellsThePartnerButPrivateItemsAndEditsAfterALeaveTellNobody() {
        SectionEdited shared = new SectionEdited("p1", "c1", 1, true, 0, "alex", "sam", PlanSection.empty(), "k1", NOW);
        assertThat(translator.translate(GenericEventMessage.asEventMessage(shared)))
                .singleElement().satisfies(e -> assertThat(e.payload()).isInstanceOf(SafetyPlanDraftChanged.class));

        SectionEdited afterLeave = new SectionEdited("p1", "c1", 1, true, 0, "alex", "sam", PlanSection.empty(), "k2", NOW, true);
        assertThat(translator.translate(GenericEventMessage.asEventMessage(afterLeave))).isEmpty();

        PrivateItemsEdited privateItems = new PrivateItemsEdited("p1", "c1", "alex", PlanSection.empty(), "k3", NOW);
        assertThat(translator.translate(GenericEventMessage.asEventMessage(privateItems))).isEmpty();
    }

    @Test
    void aPreparationAndAPrivateVictoryTellNobodyAndNothingPublishedCarriesText() {
        ConversationPrepared prepared = new ConversationPrepared("t1", "c1", "alex", "sam",
                new Preparation(List.of(Intention.APOLOGISE), List.of("pdc1:secret"), "pdc1:secret", ""), null, NOW);
        assertThat(translator.translate(GenericEventMessage.asEventMessage(prepared))).isEmpty();
        VictoryRecorded mine = new VictoryRecorded("v1", "c1", "alex", "sam", Kind.OTHER, "pdc1:secret", false, NOW);
        assertThat(translator.translate(GenericEventMessage.asEventMessage(mine))).isEmpty();

        VictoryRecorded shared = new VictoryRecorded("v2", "c1", "alex", "sam", Kind.OTHER, "pdc1:secret", true, NOW);
        AgreedStepsRecorded steps = new AgreedStepsRecorded("t1", "c1", "sam", "alex",
                List.of(new ConversationStep("step-1", "pdc1:secret", "sam", "alex", NOW), new ConversationStep("step-2", "pdc1:secret", "sam", "sam", NOW)),
                "k", NOW);
        NeedEvents.NeedExpressed need = new NeedEvents.NeedExpressed("n1", "c1", "sam", "alex", NeedCommands.Kind.FOR_MYSELF, "pdc1:secret", NOW);
        assertThat(translator.translate(GenericEventMessage.asEventMessage(shared))).singleElement()
                .satisfies(e -> assertThat(((VictoryShared) e.payload()).getPartnerPersonId()).isEqualTo("sam"));
        assertThat(translator.translate(GenericEventMessage.asEventMessage(steps))).singleElement().satisfies(e -> {
            ConversationChanged changed = (ConversationChanged) e.payload();
            assertThat(changed.getRecipientPersonId()).isEqualTo("alex");
            assertThat(changed.getRecipientStepCount()).isEqualTo(1);
        });
        assertThat(translator.translate(GenericEventMessage.asEventMessage(need))).singleElement()
                .satisfies(e -> assertThat(e.payload()).isInstanceOf(NeedExpressed.class));
        for (Object event : List.of(shared, steps, need)) {
            assertThat(translator.translate(GenericEventMessage.asEventMessage(event)))
                    .allSatisfy(e -> assertThat(e.payload().toString()).doesNotContain("pdc1", "secret"));
        }
    }

    @Test
    void aProposedGoalTellsThePartnerItsKindAndAnEndedWeekTellsBothWhichWeekNeverWhatWasDone() {
        SharedGoalEvents.SharedGoalProposed goal = new SharedGoalEvents.SharedGoalProposed("g1", "c1", "alex", "sam",
                SharedGoalCommands.Kind.HOBBY, "pdc1:secret", SharedGoalCommands.Rhythm.WEEKLY, NOW);
        assertThat(translator.translate(GenericEventMessage.asEventMessage(goal))).singleElement().satisfies(e -> {
            SharedGoalProposed proposed = (SharedGoalProposed) e.payload();
            assertThat(proposed.getPartnerPersonId()).isEqualTo("sam");
            assertThat(proposed.getKind()).isEqualTo(SharedGoalKind.SHARED_GOAL_HOBBY);
            assertThat(proposed.toString()).doesNotContain("pdc1", "secret");
        });
        Instant monday = Instant.parse("2026-11-16T00:00:00Z");
        WeekLookBackEvents.WeekEnded ended = new WeekLookBackEvents.WeekEnded("c1/" + monday, "c1", monday, List.of("alex", "sam"));
        assertThat(translator.translate(GenericEventMessage.asEventMessage(ended))).singleElement().satisfies(e -> {
            WeekTogetherEnded week = (WeekTogetherEnded) e.payload();
            assertThat(week.getPartnerPersonIdsList()).containsExactly("alex", "sam");
            assertThat(week.getWeekStart().getSeconds()).isEqualTo(monday.getEpochSecond());
            assertThat(e.subjectPersonId()).as("about nobody in particular").isNull();
        });
        SharedGoalEvents.SharedGoalDone done = new SharedGoalEvents.SharedGoalDone("g1", "c1", "alex", monday, NOW, "k1");
        assertThat(translator.translate(GenericEventMessage.asEventMessage(done))).as("a mark prompts nobody").isEmpty();
    }
}
