package app.tandem.notifications.prompts;

import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import org.springframework.stereotype.Component;

import java.util.Map;

/** The couples prompts know the person to be in, so that their partner is told what they share. */
@Component
public class PromptsPersonalData implements PersonalData {

    private final JournalPrompts prompts;

    public PromptsPersonalData(JournalPrompts prompts) {
        this.prompts = prompts;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        prompts.couplesOf(personId).forEach(coupleId -> export.item("couple", coupleId, Map.of()));
    }

    @Override
    public void erase(String personId) {
        prompts.erase(personId);
    }
}
