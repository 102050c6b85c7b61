package app.tandem.notifications.delivery;

import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * What delivery keeps about a person: prompts held for their next digest and the partners they snoozed; erasure also
 * removes the counts of pushes to them and their digests' locks, which say nothing worth exporting.
 */
@Component
public class DeliveryPersonalData implements PersonalData {

    private final HeldPrompts held;
    private final Snoozes snoozes;
    private final PushBudgets budgets;

    public DeliveryPersonalData(HeldPrompts held, Snoozes snoozes, PushBudgets budgets) {
        this.held = held;
        this.snoozes = snoozes;
        this.budgets = budgets;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (Document prompt : held.heldFor(personId)) {
            export.item("held-prompt", prompt.getString("_id"), StoredFields.of(prompt, "recipient", "cause"));
        }
        snoozes.of(personId).forEach((coupleId, until) -> export.item("partner-snooze", coupleId,
                Map.of("coupleId", coupleId, "until", StoredFields.value(until))));
    }

    @Override
    public void erase(String personId) {
        held.erase(personId);
        snoozes.erase(personId);
        budgets.erase(personId);
    }
}
