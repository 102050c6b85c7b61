package app.tandem.journal.progress;

import app.tandem.api.v1.Trend;
import app.tandem.journal.entry.Timeline;
import app.tandem.platform.grpc.Timestamps;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.ToIntFunction;

/** Figures of a person's progress as the API shows them: to the person in their stats, and to a counselor they consented to. */
public final class ProgressFigures {

    /** How far back trends look. */
    public static final Duration TREND_WINDOW = Duration.ofDays(30);

    private ProgressFigures() {
    }

    /** When the check-ins {@link #mood} and {@link #craving} take begin. */
    public static Instant trendsFrom(Instant now) {
        return now.minus(TREND_WINDOW);
    }

    /** {@code month}: the check-ins that occurred since {@link #trendsFrom}. */
    public static Trend mood(List<Timeline.EntryVersion> month, Instant now) {
        return trend(month, now, c -> c.checkIn().mood());
    }

    public static Trend craving(List<Timeline.EntryVersion> month, Instant now) {
        return trend(month, now, c -> c.checkIn().cravingIntensity());
    }

    public static double currentDaysWithoutUse(ProgressView.Progress progress, Instant now) {
        return streaks(progress, now).currentDays();
    }

    public static Streaks streaks(ProgressView.Progress progress, Instant now) {
        return Streaks.of(progress.countingSince(), progress.countedUses(), now);
    }

    public static List<app.tandem.api.v1.Milestone> milestones(ProgressView.Progress progress) {
        return progress.milestones().stream().map(m -> app.tandem.api.v1.Milestone.newBuilder()
                .setDays(m.days()).setReachedAt(Timestamps.of(m.reachedAt())).build()).toList();
    }

    private static Trend trend(List<Timeline.EntryVersion> month, Instant now, ToIntFunction<Timeline.EntryVersion> value) {
        Instant weekAgo = now.minus(Duration.ofDays(7));
        Instant twoWeeksAgo = now.minus(Duration.ofDays(14));
        List<Timeline.EntryVersion> week = month.stream().filter(e -> !e.occurredAt().isBefore(weekAgo)).toList();
        List<Timeline.EntryVersion> weekBefore = month.stream()
                .filter(e -> !e.occurredAt().isBefore(twoWeeksAgo) && e.occurredAt().isBefore(weekAgo)).toList();
        double thisWeek = average(week, value);
        return Trend.newBuilder()
                .setAverage7Days(thisWeek).setCount7Days(week.size())
                .setAverage30Days(average(month, value)).setCount30Days(month.size())
                .setChangeWeekOverWeek(week.isEmpty() || weekBefore.isEmpty() ? 0 : thisWeek - average(weekBefore, value))
                .build();
    }

    private static double average(List<Timeline.EntryVersion> entries, ToIntFunction<Timeline.EntryVersion> value) {
        return entries.stream().mapToInt(value).average().orElse(0);
    }
}
