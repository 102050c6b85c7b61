package app.tandem.plans.together;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

public final class WeekLookBackCommands {

    private WeekLookBackCommands() {
    }

    /** The week starting at {@code weekStart} has ended for a couple still shared by {@code partners}. */
    public record LookBackOnWeek(@TargetAggregateIdentifier String lookBackId, String coupleId, Instant weekStart,
                                 List<String> partners) {
    }

    /** One look back per couple and week, whoever asks for it and however often. */
    public static String idOf(String coupleId, Instant weekStart) {
        return coupleId + "/" + weekStart;
    }
}
