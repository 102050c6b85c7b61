package app.tandem.journal.entry;

import app.tandem.api.v1.AmendCheckInRequest;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.journal.progress.Substance;
import app.tandem.platform.domain.Validation;

import java.util.HashSet;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The check-in fields a request carries, recording or amending: checked with their public names, then turned
 * into content whose free text is encrypted under the author's key. Nothing is encrypted before it is valid.
 */
public record CheckInForm(int mood, int cravingIntensity, boolean used, app.tandem.api.v1.UseDetails use, String note,
                          int visibilityValue, List<Integer> triggerValues, List<String> tags, List<String> boundariesKept,
                          List<String> boundariesCrossed) {

    public static final int MAX_NOTE_LENGTH = 4000;
    public static final int MAX_TAGS = 10;
    public static final int MAX_TAG_LENGTH = 40;
    public static final int MAX_BOUNDARIES = 20;

    public static CheckInForm of(RecordCheckInRequest r) {
        return new CheckInForm(r.getMood(), r.getCravingIntensity(), r.getUsed(), r.getUse(), r.getNote(), r.getVisibilityValue(),
                r.getTriggersValueList(), r.getTagsList(), r.getBoundariesKeptList(), r.getBoundariesCrossedList());
    }

    public static CheckInForm of(AmendCheckInRequest r) {
        return new CheckInForm(r.getMood(), r.getCravingIntensity(), r.getUsed(), r.getUse(), r.getNote(), r.getVisibilityValue(),
                r.getTriggersValueList(), r.getTagsList(), r.getBoundariesKeptList(), r.getBoundariesCrossedList());
    }

    /** Adds every violation of the form to {@code validation}. */
    public Validation check(Validation validation) {
        validation
                .require(note.length() <= MAX_NOTE_LENGTH, "note", "must be at most " + MAX_NOTE_LENGTH + " characters")
                .require(knownVisibility(visibilityValue), "visibility", "is not a known visibility")
                .require(use.getSubstancesValueList().stream().allMatch(v -> v > 0 && v <= Substance.values().length),
                        "use.substances", "names an unknown substance")
                .require(triggerValues.stream().allMatch(v -> v > 0 && v <= Trigger.values().length), "triggers", "names an unknown trigger")
                .require(tags.size() <= MAX_TAGS, "tags", "at most " + MAX_TAGS + " tags")
                .require(tags.stream().allMatch(t -> !t.isBlank() && t.length() <= MAX_TAG_LENGTH), "tags",
                        "each tag must be 1 to " + MAX_TAG_LENGTH + " characters")
                .require(boundariesKept.size() + boundariesCrossed.size() <= MAX_BOUNDARIES, "boundaries_kept",
                        "at most " + MAX_BOUNDARIES + " boundaries in one check-in")
                .require(boundariesKept.stream().allMatch(Validation::isUuid), "boundaries_kept", "must be boundary ids")
                .require(boundariesCrossed.stream().allMatch(Validation::isUuid), "boundaries_crossed", "must be boundary ids")
                .require(boundariesCrossed.stream().noneMatch(new HashSet<>(boundariesKept)::contains), "boundaries_crossed",
                        "a boundary is either kept or crossed");
        return validation;
    }

    /**
     * The domain content, its free text passed through {@code seal}: the identity to validate it, then encryption
     * under the author's key once it is valid. Call after {@link #check}.
     */
    public EntryContent.CheckIn toContent(UnaryOperator<String> seal) {
        EntryContent.UseDetails details = use.equals(app.tandem.api.v1.UseDetails.getDefaultInstance())
                ? EntryContent.UseDetails.NONE
                : new EntryContent.UseDetails(use.getSubstancesList().stream().map(s -> Substance.valueOf(s.name())).distinct().toList(),
                use.getUsedAlone(), use.getNaloxoneAtHand());
        return new EntryContent.CheckIn(mood, cravingIntensity, used, details,
                triggerValues.stream().distinct().map(v -> Trigger.values()[v - 1]).toList(),
                seal.apply(String.join("\n", tags)), List.copyOf(boundariesKept), List.copyOf(boundariesCrossed),
                seal.apply(note), visibility(visibilityValue));
    }

    static boolean knownVisibility(int value) {
        return value >= 0 && value <= Visibility.values().length;
    }

    /** Unspecified means private: nothing is shared unless asked for. */
    static Visibility visibility(int value) {
        return value == 0 ? Visibility.PRIVATE : Visibility.values()[value - 1];
    }
}
