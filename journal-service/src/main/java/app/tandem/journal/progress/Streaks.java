package app.tandem.journal.progress;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Days without use from a start and the uses that ended them. A use never erases what came before it: the
 * longest streak and the total stay. The day of a use earns partial credit, for the part of it before the use.
 */
public record Streaks(double currentDays, double longestDays, double totalDaysWithoutUse) {

    private static final double DAY_SECONDS = Duration.ofDays(1).toSeconds();

    /** {@code uses} are the instants of uses that count against the goal, in any order. */
    public static Streaks of(Instant countingSince, List<Instant> uses, Instant now) {
        if (countingSince == null || now.isBefore(countingSince)) {
            return new Streaks(0, 0, 0);
        }
        List<Instant> counted = uses.stream().filter(u -> !u.isBefore(countingSince) && !u.isAfter(now)).sorted().toList();
        Instant streakStart = counted.isEmpty() ? countingSince : counted.get(counted.size() - 1);
        double current = days(streakStart, now);
        double longest = current;
        Instant previous = countingSince;
        for (Instant use : counted) {
            longest = Math.max(longest, days(previous, use));
            previous = use;
        }
        return new Streaks(current, longest, totalWithoutUse(countingSince, counted, now));
    }

    /** The start of the current run of days without use. */
    public static Instant streakStart(Instant countingSince, List<Instant> uses) {
        return uses.stream().filter(u -> !u.isBefore(countingSince)).max(Instant::compareTo).orElse(countingSince);
    }

    private static double days(Instant from, Instant to) {
        return Duration.between(from, to).toSeconds() / DAY_SECONDS;
    }

    /** Per calendar day (UTC): the part of the day counted, up to the first use that day. */
    private static double totalWithoutUse(Instant since, List<Instant> uses, Instant now) {
        double total = 0;
        for (LocalDate day = LocalDate.ofInstant(since, ZoneOffset.UTC); !day.isAfter(LocalDate.ofInstant(now, ZoneOffset.UTC)); day = day.plusDays(1)) {
            Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant from = dayStart.isBefore(since) ? since : dayStart;
            Instant to = dayStart.plus(Duration.ofDays(1));
            if (to.isAfter(now)) {
                to = now;
            }
            for (Instant use : uses) {
                if (!use.isBefore(dayStart) && use.isBefore(to)) {
                    to = use; // uses are sorted: the first one that day ends the credit
                    break;
                }
            }
            if (to.isAfter(from)) {
                total += days(from, to);
            }
        }
        return total;
    }
}
