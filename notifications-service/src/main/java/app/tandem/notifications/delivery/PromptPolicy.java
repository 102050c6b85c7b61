package app.tandem.notifications.delivery;

import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.notifications.preferences.Preferences;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * When a prompt reaches a person: at once, later as part of a digest, or not at all. Urgent prompts come at
 * once, always: a partner asking for support or a disclosed lapse cannot wait for the morning. Everything
 * else respects the person's muted kinds, quiet hours and daily cap, so Tandem does not nag.
 */
public final class PromptPolicy {

    public static final Set<NotificationKind> URGENT = Set.of(NotificationKind.SUPPORT_REQUESTED, NotificationKind.PARTNER_LAPSED);

    public sealed interface Decision {
        record Push() implements Decision {
        }

        /** Held back, to be folded into a digest at {@code until}. */
        record Hold(Instant until) implements Decision {
        }

        /** Muted by the person. */
        record Drop() implements Decision {
        }
    }

    private PromptPolicy() {
    }

    public static boolean isUrgent(NotificationKind kind) {
        return URGENT.contains(kind);
    }

    /** Whether the person's preferences can hold a prompt back for a digest: quiet hours or a daily cap. */
    public static boolean canHold(Preferences preferences) {
        return preferences.hasQuietHours() || preferences.dailyCap() > 0;
    }

    /** {@code pushedToday}: non-urgent prompts already pushed to the person since their local midnight. */
    public static Decision decide(Preferences preferences, NotificationKind kind, Instant now, long pushedToday) {
        return decide(preferences, kind, now, () -> pushedToday);
    }

    /** As above, counting what was pushed today only when a daily cap asks for it. */
    public static Decision decide(Preferences preferences, NotificationKind kind, Instant now, LongSupplier pushedToday) {
        if (isUrgent(kind)) {
            return new Decision.Push();
        }
        if (preferences.muted().contains(kind)) {
            return new Decision.Drop();
        }
        if (inQuietHours(preferences, now)) {
            return new Decision.Hold(quietHoursEnd(preferences, now));
        }
        if (preferences.dailyCap() > 0 && pushedToday.getAsLong() >= preferences.dailyCap()) {
            Instant tomorrow = startOfDay(preferences, now.atZone(preferences.zone()).toLocalDate().plusDays(1));
            return new Decision.Hold(inQuietHours(preferences, tomorrow) ? quietHoursEnd(preferences, tomorrow) : tomorrow);
        }
        return new Decision.Push();
    }

    /** The person's local midnight that began the day {@code now} falls in. */
    public static Instant startOfToday(Preferences preferences, Instant now) {
        return startOfDay(preferences, now.atZone(preferences.zone()).toLocalDate());
    }

    private static Instant startOfDay(Preferences preferences, LocalDate day) {
        return day.atStartOfDay(preferences.zone()).toInstant();
    }

    static boolean inQuietHours(Preferences preferences, Instant now) {
        if (!preferences.hasQuietHours()) {
            return false;
        }
        LocalTime local = now.atZone(preferences.zone()).toLocalTime();
        LocalTime start = preferences.quietStart();
        LocalTime end = preferences.quietEnd();
        return start.isBefore(end)
                ? !local.isBefore(start) && local.isBefore(end)
                : !local.isBefore(start) || local.isBefore(end); // across midnight
    }

    /**
     * The next end of quiet hours after {@code now}, on the local clock: across a daylight-saving change the wall
     * time stays (07:00 is 07:00 in summer and in winter); an end that falls into a skipped hour moves past it.
     */
    static Instant quietHoursEnd(Preferences preferences, Instant now) {
        ZonedDateTime local = now.atZone(preferences.zone());
        ZonedDateTime end = ZonedDateTime.of(local.toLocalDate(), preferences.quietEnd(), preferences.zone());
        if (!end.toInstant().isAfter(now)) {
            end = ZonedDateTime.of(local.toLocalDate().plusDays(1), preferences.quietEnd(), preferences.zone());
        }
        return end.toInstant();
    }
}
