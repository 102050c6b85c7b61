package app.tandem.journal.entry;

import app.tandem.journal.progress.Substance;

import java.util.List;

/** What an entry says. Free text (notes, tags) is already ciphertext under the author's key. */
public final class EntryContent {

    private EntryContent() {
    }

    /** Only reported with a use: what, whether alone, whether naloxone was at hand. */
    public record UseDetails(List<Substance> substances, boolean usedAlone, boolean naloxoneAtHand) {
        public static final UseDetails NONE = new UseDetails(List.of(), false, false);
    }

    public record CheckIn(int mood, int cravingIntensity, boolean used, UseDetails use, List<Trigger> triggers,
                          String encryptedTags, List<String> boundariesKept, List<String> boundariesCrossed,
                          String encryptedNote, Visibility visibility) {
    }

    /** Items modelled on the Brief Addiction Monitor, each 0 (not at all) to 4 (every day), over the past week. */
    public record WeeklyReview(int sleepTrouble, int lowMood, int craving, int riskySituations, int soberSupport,
                               int confidence, int meetings, int satisfactionWithProgress, String encryptedNote,
                               Visibility visibility) {
    }
}
