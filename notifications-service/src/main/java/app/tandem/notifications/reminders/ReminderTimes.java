package app.tandem.notifications.reminders;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When a daily reminder at a local wall-clock time falls. Across daylight-saving changes the wall time stays:
 * a reminder at 20:00 comes at 20:00 in summer and in winter; one that falls into a skipped hour comes just
 * after it, and one in a repeated hour comes once, at the first of the two.
 */
public final class ReminderTimes {

    private ReminderTimes() {
    }

    public static Instant on(LocalDate day, LocalTime time, ZoneId zone) {
        return ZonedDateTime.of(day, time, zone).toInstant();
    }

    /** The first occurrence strictly after {@code after}. */
    public static Instant nextAfter(LocalTime time, ZoneId zone, Instant after) {
        LocalDate day = after.atZone(zone).toLocalDate();
        Instant candidate = on(day, time, zone);
        while (!candidate.isAfter(after)) {
            day = day.plusDays(1);
            candidate = on(day, time, zone);
        }
        return candidate;
    }

    /** The latest occurrence at or before {@code now}: the one to send after a pause, never a burst of missed ones. */
    public static Instant latestAtOrBefore(LocalTime time, ZoneId zone, Instant now) {
        LocalDate day = now.atZone(zone).toLocalDate();
        Instant candidate = on(day, time, zone);
        return candidate.isAfter(now) ? on(day.minusDays(1), time, zone) : candidate;
    }

    public static Instant startOfDay(Instant occurrence, ZoneId zone) {
        return occurrence.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
    }
}
