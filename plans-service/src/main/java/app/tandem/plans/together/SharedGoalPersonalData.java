package app.tandem.plans.together;

import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The goals a person proposed, with their title, and the weeks they did a shared goal, whoever proposed it. */
@Component
public class SharedGoalPersonalData implements PersonalData {

    private final SharedGoalBoard board;
    private final SharedGoalTitles titles;

    public SharedGoalPersonalData(SharedGoalBoard board, SharedGoalTitles titles) {
        this.board = board;
        this.titles = titles;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (SharedGoalView goal : board.involving(personId)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("coupleId", goal.coupleId());
            fields.put("kind", goal.kind().name());
            fields.put("proposedByMe", personId.equals(goal.proposedBy()));
            fields.put("title", personId.equals(goal.proposedBy()) ? titles.read(goal) : null); // the partner's words stay theirs
            fields.put("stage", goal.stage().name());
            fields.put("proposedAt", StoredFields.time(goal.proposedAt()));
            List<String> weeks = goal.marks().stream().filter(m -> m.personId().equals(personId))
                    .map(m -> StoredFields.time(m.weekStart())).toList();
            fields.put("weeksIDidIt", weeks);
            export.item("shared-goal", goal.goalId(), fields);
        }
    }

    @Override
    public void erase(String personId) {
        board.erase(personId);
    }
}
