package app.tandem.journal.entry;

import app.tandem.api.v1.EntryKind;
import app.tandem.api.v1.TimelineEntry;
import app.tandem.journal.entry.Timeline.EntryVersion;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.grpc.Timestamps;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.List;

/**
 * An entry version as the API shows it. Free text is decrypted under the author's key only where it is shown; an
 * erased author's text stays unreadable and shows as empty.
 */
@Component
public class TimelineEntries {

    private final PersonalDataCipher cipher;

    public TimelineEntries(PersonalDataCipher cipher) {
        this.cipher = cipher;
    }

    /** Everything the entry says, its note and tags too: for its author and the partner it was shared with. */
    public TimelineEntry toProto(EntryVersion entry) {
        return toProto(entry, true, true);
    }

    /** For a counselor: never the tags, and the note only when {@code withNote}. */
    public TimelineEntry disclosed(EntryVersion entry, boolean withNote) {
        return toProto(entry, withNote, false);
    }

    /** A weekly review's scores, without its note. */
    public static app.tandem.api.v1.WeeklyReview scores(EntryContent.WeeklyReview r) {
        return app.tandem.api.v1.WeeklyReview.newBuilder()
                .setSleepTrouble(r.sleepTrouble())
                .setLowMood(r.lowMood())
                .setCraving(r.craving())
                .setRiskySituations(r.riskySituations())
                .setSoberSupport(r.soberSupport())
                .setConfidence(r.confidence())
                .setMeetings(r.meetings())
                .setSatisfactionWithProgress(r.satisfactionWithProgress())
                .build();
    }

    private TimelineEntry toProto(EntryVersion entry, boolean withNote, boolean withTags) {
        String author = entry.authorPersonId();
        TimelineEntry.Builder proto = TimelineEntry.newBuilder()
                .setCheckInId(entry.entryId())
                .setAuthorPersonId(author)
                .setOccurredAt(Timestamps.of(entry.occurredAt()))
                .setRecordedAt(Timestamps.of(entry.recordedAt()))
                .setVersion(entry.version())
                .setRetracted(entry.retracted())
                .setVisibility(app.tandem.api.v1.Visibility.valueOf(entry.visibility().name()))
                .setKind(EntryKind.valueOf(entry.kind().name()));
        String encryptedNote;
        if (entry.checkIn() != null) {
            EntryContent.CheckIn c = entry.checkIn();
            encryptedNote = c.encryptedNote();
            proto.setMood(c.mood())
                    .setCravingIntensity(c.cravingIntensity())
                    .setUsed(c.used())
                    .setUse(app.tandem.api.v1.UseDetails.newBuilder()
                            .addAllSubstances(c.use().substances().stream().map(s -> app.tandem.api.v1.Substance.valueOf(s.name())).toList())
                            .setUsedAlone(c.use().usedAlone())
                            .setNaloxoneAtHand(c.use().naloxoneAtHand()))
                    .addAllTriggers(c.triggers().stream().map(t -> app.tandem.api.v1.Trigger.valueOf(t.name())).toList())
                    .addAllBoundariesKept(c.boundariesKept())
                    .addAllBoundariesCrossed(c.boundariesCrossed());
            if (withTags) {
                String tags = cipher.decrypt(author, c.encryptedTags()).orElse("");
                proto.addAllTags(tags.isEmpty() ? List.of() : Arrays.asList(tags.split("\n")));
            }
        } else {
            encryptedNote = entry.review().encryptedNote();
            proto.setReview(scores(entry.review()));
        }
        if (withNote) {
            proto.setNote(cipher.decrypt(author, encryptedNote).orElse(""));
        }
        return proto.build();
    }
}
