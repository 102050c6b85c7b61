package app.tandem.plans.relapse;

import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/** The relapse-response tasks a person was given, as their task list shows them, done ones too. */
@Component
public class RelapsePersonalData implements PersonalData {

    private final RelapseTaskBoard board;
    private final PersonalDataCipher cipher;

    public RelapsePersonalData(RelapseTaskBoard board, PersonalDataCipher cipher) {
        this.board = board;
        this.cipher = cipher;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (RelapseTaskBoard.Entry entry : board.everyTaskOf(personId)) {
            RelapseTask task = entry.task();
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("coupleId", entry.coupleId());
            fields.put("lapseId", entry.lapseId());
            fields.put("role", task.role().name());
            fields.put("timeframe", task.timeframe().name());
            fields.put("kind", task.kind().name());
            // the agreed plan's step, as the task list shows it to them
            fields.put("text", task.encryptedText() == null ? null : cipher.decrypt(task.textAuthor(), task.encryptedText()).orElse(""));
            fields.put("issuedAt", StoredFields.time(entry.issuedAt()));
            fields.put("done", entry.done());
            fields.put("doneAt", StoredFields.time(entry.doneAt()));
            export.item("relapse-task", entry.lapseId() + "/" + task.taskId(), fields);
        }
    }

    @Override
    public void erase(String personId) {
        board.eraseTasksOf(personId);
    }
}
