package app.tandem.notifications.delivery;

import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.notifications.preferences.Preferences;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * When a prompt reaches a person: at once, later as part of a digest, only in the inbox list, or not at all. Urgent
 * prompts come at once, through quiet hours, mutes and the cap: a partner asking for support or a disclosed lapse
 * cannot wait for the morning. But no partner can use prompts to harass: a few urgent ones and a few more of the others
 * an hour are pushed and the rest are only listed, and a person can snooze their partner for a while. Everything else
 * respects the person's muted kinds, quiet hours and daily cap, so Tandem does not nag.
 */
public final class PromptPolicy {

    public static final Set<NotificationKind> URGENT = Set.of(NotificationKind.SUPPORT_REQUESTED, NotificationKind.PARTNER_LAPSED);
    /**
     * Prompts about what the partner did: the ones a snooze of the partner holds back. Care prompts are not: a
     * counselor's first read or a consent running out comes from care-service, never from the partner.
     */
    public static final Set<NotificationKind> FROM_PARTNER = Set.of(NotificationKind.PARTNER_CHECKED_IN, NotificationKind.PARTNER_JOINED,
            NotificationKind.PARTNER_LAPSED, NotificationKind.PARTNER_MILESTONE_REACHED, NotificationKind.SUPPORT_REQUESTED,
            NotificationKind.JOURNAL_NO_LONGER_SHARED, NotificationKind.PARTNER_PROPOSED_BOUNDARY, NotificationKind.BOUNDARY_CROSSED,
            NotificationKind.SAFETY_PLAN_CHANGED, NotificationKind.PARTNER_CRAVING_HIGH);

    public sealed interface Decision {
        record Push() implements Decision {
        }

        /** Held back, to be folded into a digest at {@code until}. */
        record Hold(Instant until) implements Decision {
        }

        /** Muted by the person. */
        record Drop() implements Decision {
        }

        /** Listed in the inbox, not pushed: the sender is snoozed, or sent more urgent prompts than an hour takes. */
        record Fold() implements Decision {
        }
    }

    /**
     * Who the prompt comes from, as far as the recipient's protection from them goes.
     *
     * @param snoozed the recipient snoozed this sender
     * @param mayPush takes one of the pushes this sender has left this hour (urgent ones or the others, as the prompt
     *                is); false when none are left. Asked only for a prompt that would otherwise be pushed.
     */
    public record Sender(boolean snoozed, BooleanSupplier mayPush) {
        /** A prompt nobody sent: a reminder, a digest, one's own milestone. */
        public static final Sender NONE = new Sender(false, () -> true);
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
    public static Decision decide(Preferences preferences, NotificationKind kind, Instant now, long pushedToday, Sender sender) {
        return decide(preferences, kind, now, () -> pushedToday, sender);
    }

    /** As above, counting what was pushed only when a rule asks for it. */
    public static Decision decide(Preferences preferences, NotificationKind kind, Instant now, LongSupplier pushedToday, Sender sender) {
        boolean urgent = isUrgent(kind);
        if (!urgent && preferences.muted().contains(kind)) {
            return new Decision.Drop();
        }
        if (sender.snoozed()) {
            return new Decision.Fold();
        }
        if (urgent) {
            return pushOrFold(sender);
        }
        if (inQuietHours(preferences, now)) {
            return new Decision.Hold(quietHoursEnd(preferences, now));
        }
        if (preferences.dailyCap() > 0 && pushedToday.getAsLong() >= preferences.dailyCap()) {
            Instant tomorrow = startOfDay(preferences, now.atZone(preferences.zone()).toLocalDate().plusDays(1));
            return new Decision.Hold(inQuietHours(preferences, tomorrow) ? quietHoursEnd(preferences, tomorrow) : tomorrow);
        }
        return pushOrFold(sender);
    }

    private static Decision pushOrFold(Sender sender) {
        return sender.mayPush().getAsBoolean() ? new Decision.Push() : new Decision.Fold();
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
