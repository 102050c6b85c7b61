package app.tandem.journal.entry;

import app.tandem.journal.entry.Timeline.EntryVersion;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A person's check-ins and weekly reviews, private and shared, retracted ones too, each with every earlier version an
 * amendment replaced (read from the entry's events, as its history is). The partner's entries are never part of it.
 */
@Component
public class EntryPersonalData implements PersonalData {

    private final Timeline timeline;
    private final EntryHistory history;
    private final PersonalDataCipher cipher;

    public EntryPersonalData(Timeline timeline, EntryHistory history, PersonalDataCipher cipher) {
        this.timeline = timeline;
        this.history = history;
        this.cipher = cipher;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (EntryVersion entry : timeline.everyEntryOf(personId)) {
            Map<String, Object> fields = fields(entry);
            if (entry.version() > 1) {
                List<EntryVersion> versions = history.of(personId, entry.entryId());
                fields.put("history", versions.subList(0, versions.size() - 1).stream().map(this::fields).toList());
            }
            export.item(entry.kind() == Entry.Kind.CHECK_IN ? "check-in" : "weekly-review", entry.entryId(), fields);
        }
    }

    @Override
    public void erase(String personId) {
        timeline.eraseEntriesOf(personId);
    }

    private Map<String, Object> fields(EntryVersion entry) {
        String author = entry.authorPersonId();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("coupleId", entry.coupleId());
        fields.put("version", entry.version());
        fields.put("occurredAt", StoredFields.time(entry.occurredAt()));
        fields.put("recordedAt", StoredFields.time(entry.recordedAt()));
        fields.put("retracted", entry.retracted());
        fields.put("visibility", entry.visibility().name());
        String encryptedNote;
        if (entry.checkIn() != null) {
            EntryContent.CheckIn c = entry.checkIn();
            encryptedNote = c.encryptedNote();
            fields.put("mood", c.mood());
            fields.put("cravingIntensity", c.cravingIntensity());
            fields.put("used", c.used());
            fields.put("substances", c.use().substances().stream().map(Enum::name).toList());
            fields.put("usedAlone", c.use().usedAlone());
            fields.put("naloxoneAtHand", c.use().naloxoneAtHand());
            fields.put("triggers", c.triggers().stream().map(Enum::name).toList());
            String tags = cipher.decrypt(author, c.encryptedTags()).orElse("");
            fields.put("tags", tags.isEmpty() ? List.of() : List.of(tags.split("\n")));
            fields.put("boundariesKept", c.boundariesKept());
            fields.put("boundariesCrossed", c.boundariesCrossed());
        } else {
            EntryContent.WeeklyReview r = entry.review();
            encryptedNote = r.encryptedNote();
            fields.put("sleepTrouble", r.sleepTrouble());
            fields.put("lowMood", r.lowMood());
            fields.put("craving", r.craving());
            fields.put("riskySituations", r.riskySituations());
            fields.put("soberSupport", r.soberSupport());
            fields.put("confidence", r.confidence());
            fields.put("meetings", r.meetings());
            fields.put("satisfactionWithProgress", r.satisfactionWithProgress());
        }
        fields.put("note", cipher.decrypt(author, encryptedNote).orElse(""));
        return fields;
    }
}
