package app.tandem.plans.victory;

import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The victories a person recorded, private ones too, with their words, and the reactions they gave to their partner's
 * shared ones (which victory and when, not the partner's words).
 */
@Component
public class VictoryPersonalData implements PersonalData {

    private final VictoryBoard board;
    private final PersonalDataCipher cipher;

    public VictoryPersonalData(VictoryBoard board, PersonalDataCipher cipher) {
        this.board = board;
        this.cipher = cipher;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (VictoryView victory : board.recordedBy(personId)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("coupleId", victory.coupleId());
            fields.put("kind", victory.kind().name());
            fields.put("text", victory.encryptedText().isEmpty() ? "" : cipher.decrypt(personId, victory.encryptedText()).orElse(""));
            fields.put("shared", victory.shared());
            fields.put("recordedAt", StoredFields.time(victory.recordedAt()));
            fields.put("partnersReaction", victory.reaction() == null ? null : victory.reaction().name());
            export.item("victory", victory.victoryId(), fields);
        }
        for (VictoryView victory : board.acknowledgedBy(personId)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("coupleId", victory.coupleId());
            fields.put("reaction", victory.reaction().name());
            fields.put("acknowledgedAt", StoredFields.time(victory.acknowledgedAt()));
            export.item("victory-acknowledgement", victory.victoryId(), fields);
        }
    }

    @Override
    public void erase(String personId) {
        board.erase(personId);
    }
}
