package app.tandem.plans.together;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * The couple's weeks: Monday 00:00 to Monday 00:00, in UTC, as the service keeps no time zone of anyone's. One
 * definition for marks, the week view and the look back, so all three agree on which week a moment belongs to.
 */
public final class Weeks {

    public static final Duration LENGTH = Duration.ofDays(7);

    private Weeks() {
    }

    /** The start of the week {@code moment} is in. */
    public static Instant startOf(Instant moment) {
        return moment.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS)
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
    }

    /** The end of the week {@code moment} is in: the next week's start. */
    public static Instant endOf(Instant moment) {
        return startOf(moment).plus(LENGTH);
    }
}
