package app.tandem.plans.together;

import java.time.Instant;
import java.util.List;

public final class WeekLookBackEvents {

    private WeekLookBackEvents() {
    }

    /** A couple's week has ended: both partners are invited to look back on it. Nothing of what was done is in it. */
    public record WeekEnded(String lookBackId, String coupleId, Instant weekStart, List<String> partners) {
    }
}
