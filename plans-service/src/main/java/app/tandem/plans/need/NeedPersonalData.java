package app.tandem.plans.need;

import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/** The needs a person expressed, with their words and the partner's answer, and the answers they gave to the partner's. */
@Component
public class NeedPersonalData implements PersonalData {

    private final NeedBoard board;
    private final PersonalDataCipher cipher;

    public NeedPersonalData(NeedBoard board, PersonalDataCipher cipher) {
        this.board = board;
        this.cipher = cipher;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (NeedView need : board.expressedBy(personId)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("coupleId", need.coupleId());
            fields.put("kind", need.kind().name());
            fields.put("text", cipher.decrypt(personId, need.encryptedText()).orElse(""));
            fields.put("expressedAt", StoredFields.time(need.expressedAt()));
            fields.put("partnersAnswer", need.answer() == null ? null : need.answer().name());
            export.item("need", need.needId(), fields);
        }
        for (NeedView need : board.answeredBy(personId)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("coupleId", need.coupleId());
            fields.put("answer", need.answer().name());
            fields.put("answeredAt", StoredFields.time(need.answeredAt()));
            export.item("need-answer", need.needId(), fields);
        }
    }

    @Override
    public void erase(String personId) {
        board.erase(personId);
    }
}
