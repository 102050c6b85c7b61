package app.tandem.notifications.preferences;

import app.tandem.notifications.inbox.NotificationKind;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * What a person wants to be told, when and where. Quiet hours run from {@code quietStart} to {@code quietEnd}
 * in the person's zone and may cross midnight; both null for none. A {@code dailyCap} of 0 means no cap, a
 * {@code cravingAlertThreshold} of 0 never alerts the partner, a null {@code dailyReminder} sends no reminder. An
 * e-mail address or webhook gets prompts only once the person confirmed it with the code sent there.
 */
public record Preferences(ZoneId zone, LocalTime quietStart, LocalTime quietEnd, Set<NotificationKind> muted, int dailyCap,
                          String email, String webhookUrl, String webhookSecret, int cravingAlertThreshold, LocalTime dailyReminder,
                          boolean emailConfirmed, boolean webhookConfirmed) {

    public static final Preferences DEFAULT = new Preferences(ZoneOffset.UTC, null, null, Set.of(), 0, null, null, null, 0, null, false, false);

    /** Where the contact points, null for nowhere. */
    public String address(Contact contact) {
        return contact == Contact.EMAIL ? email : webhookUrl;
    }

    public boolean confirmed(Contact contact) {
        return address(contact) != null && (contact == Contact.EMAIL ? emailConfirmed : webhookConfirmed);
    }

    public boolean hasQuietHours() {
        return quietStart != null && quietEnd != null && !quietStart.equals(quietEnd);
    }
}
