package app.tandem.plans.victory;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** A small victory and its acknowledgement. Text arrives already encrypted with the author's key. */
public final class VictoryCommands {

    private VictoryCommands() {
    }

    /** {@code encryptedText} is empty when the kind says it all. */
    public record RecordVictory(@TargetAggregateIdentifier String victoryId, String coupleId, String personId, String partnerId,
                                Kind kind, String encryptedText, boolean shared, Instant now) {
    }

    public record AcknowledgeVictory(@TargetAggregateIdentifier String victoryId, String personId, Reaction reaction, Instant now) {
    }

    public enum Kind {
        MEETING_ATTENDED, APPOINTMENT_KEPT, CRAVING_RIDDEN_OUT, BOUNDARY_KEPT, SOMETHING_TOGETHER, OTHER
    }

    public enum Reaction {
        PROUD_OF_YOU, THANK_YOU, WELL_DONE, WITH_YOU
    }
}
