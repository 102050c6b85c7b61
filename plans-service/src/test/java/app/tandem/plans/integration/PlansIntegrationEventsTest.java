package app.tandem.plans.integration;

import app.tandem.events.v1.SafetyPlanDraftChanged;
import app.tandem.plans.safetyplan.PlanSection;
import app.tandem.plans.safetyplan.SafetyPlanEvents.PrivateItemsEdited;
import app.tandem.plans.safetyplan.SafetyPlanEvents.SectionEdited;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;

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
}
