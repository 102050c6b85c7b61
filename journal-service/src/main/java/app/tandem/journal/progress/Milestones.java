package app.tandem.journal.progress;

import java.util.OptionalInt;

/** The days worth celebrating: 1, 3, 7, 14, 30, 60, 90, 180 and 365, then every further year. */
public final class Milestones {

    private static final int[] FIRST_YEAR = {1, 3, 7, 14, 30, 60, 90, 180, 365};
    private static final int YEAR = 365;

    private Milestones() {
    }

    public static boolean isMilestone(int days) {
        for (int threshold : FIRST_YEAR) {
            if (threshold == days) {
                return true;
            }
        }
        return days > YEAR && days % YEAR == 0;
    }

    /** The first milestone after {@code days}. */
    public static int nextAfter(int days) {
        for (int threshold : FIRST_YEAR) {
            if (threshold > days) {
                return threshold;
            }
        }
        return (days / YEAR + 1) * YEAR;
    }

    /**
     * The highest milestone in {@code (alreadyPassed, days]}, if any. After a long silence only the highest one
     * is celebrated, once; the ones below it count as passed.
     */
    public static OptionalInt highestReached(int alreadyPassed, int days) {
        for (int d = days; d > alreadyPassed; d--) {
            if (isMilestone(d)) {
                return OptionalInt.of(d);
            }
        }
        return OptionalInt.empty();
    }
}
