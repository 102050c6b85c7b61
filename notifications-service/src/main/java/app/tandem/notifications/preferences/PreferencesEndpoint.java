package app.tandem.notifications.preferences;

import app.tandem.api.v1.GetPreferencesRequest;
import app.tandem.api.v1.NotificationPreferences;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.notifications.channels.WebhookAddresses;
import app.tandem.notifications.delivery.PromptPolicy;
import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.notifications.reminders.DailyReminders;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.security.Caller;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

import java.net.URI;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A person's notification preferences: always the caller's own. */
@Service
public class PreferencesEndpoint implements NotificationServiceGrpc.AsyncService {

    static final int MAX_DAILY_CAP = 50;
    static final int MIN_SECRET_LENGTH = 16;
    private static final int MAX_URL_LENGTH = 2048;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    private final PreferenceStore store;
    private final DailyReminders reminders;
    private final WebhookAddresses webhookAddresses;

    public PreferencesEndpoint(PreferenceStore store, DailyReminders reminders, WebhookAddresses webhookAddresses) {
        this.store = store;
        this.reminders = reminders;
        this.webhookAddresses = webhookAddresses;
    }

    @Override
    public void getPreferences(GetPreferencesRequest request, StreamObserver<NotificationPreferences> response) {
        response.onNext(toProto(store.of(Caller.current().personId())));
        response.onCompleted();
    }

    @Override
    public void setPreferences(NotificationPreferences request, StreamObserver<NotificationPreferences> response) {
        String actor = Caller.current().personId();
        boolean quiet = !request.getQuietHoursStart().isEmpty() || !request.getQuietHoursEnd().isEmpty();
        boolean webhook = !request.getWebhookUrl().isEmpty();
        Optional<WebhookAddresses.Refusal> webhookRefused = webhook && request.getWebhookUrl().length() <= MAX_URL_LENGTH
                ? webhookAddresses.refusal(request.getWebhookUrl()) : Optional.empty();
        new Validation()
                .require(request.getTimeZone().isEmpty() || zone(request.getTimeZone()) != null, "time_zone", "must be an IANA time zone such as Europe/Berlin")
                .require(!quiet || time(request.getQuietHoursStart()) != null, "quiet_hours_start", "must be HH:MM, with quiet_hours_end")
                .require(!quiet || time(request.getQuietHoursEnd()) != null, "quiet_hours_end", "must be HH:MM, with quiet_hours_start")
                .require(request.getMutedKindsValueList().stream().allMatch(v -> v > 0 && v <= NotificationKind.values().length),
                        "muted_kinds", "names an unknown kind")
                .require(request.getMutedKindsValueList().stream().noneMatch(v -> v > 0 && v <= NotificationKind.values().length
                        && PromptPolicy.isUrgent(kind(v))), "muted_kinds", "urgent prompts cannot be muted")
                .requireRange(request.getDailyCap(), 0, MAX_DAILY_CAP, "daily_cap")
                .require(request.getEmail().isEmpty() || (request.getEmail().length() <= 254 && EMAIL.matcher(request.getEmail()).matches()),
                        "email", "must be an e-mail address")
                .require(request.getWebhookUrl().length() <= MAX_URL_LENGTH, "webhook_url", "must be at most " + MAX_URL_LENGTH + " characters")
                .require(webhookRefused.isEmpty(), "webhook_url", webhookRefused.map(WebhookAddresses.Refusal::reason).orElse(""))
                .require(!webhook || request.getWebhookSecret().length() >= MIN_SECRET_LENGTH, "webhook_secret",
                        "must be at least " + MIN_SECRET_LENGTH + " characters")
                .requireRange(request.getCravingAlertThreshold(), 0, 10, "craving_alert_threshold")
                .require(request.getDailyReminderTime().isEmpty() || time(request.getDailyReminderTime()) != null, "daily_reminder_time", "must be HH:MM")
                .orThrow();
        Set<NotificationKind> muted = request.getMutedKindsValueList().stream().map(PreferencesEndpoint::kind)
                .collect(Collectors.toUnmodifiableSet());
        Preferences preferences = new Preferences(request.getTimeZone().isEmpty() ? ZoneOffset.UTC : zone(request.getTimeZone()),
                quiet ? time(request.getQuietHoursStart()) : null, quiet ? time(request.getQuietHoursEnd()) : null, muted,
                request.getDailyCap(), blankToNull(request.getEmail()), webhook ? request.getWebhookUrl() : null,
                webhook ? request.getWebhookSecret() : null, request.getCravingAlertThreshold(),
                request.getDailyReminderTime().isEmpty() ? null : time(request.getDailyReminderTime()));
        store.save(actor, preferences);
        reminders.schedule(actor, preferences);
        response.onNext(toProto(preferences));
        response.onCompleted();
    }

    private static NotificationPreferences toProto(Preferences p) {
        NotificationPreferences.Builder proto = NotificationPreferences.newBuilder()
                .setTimeZone(p.zone().getId())
                .addAllMutedKinds(p.muted().stream().map(k -> app.tandem.api.v1.NotificationKind.valueOf(k.name())).sorted().toList())
                .setDailyCap(p.dailyCap())
                .setCravingAlertThreshold(p.cravingAlertThreshold());
        if (p.hasQuietHours()) {
            proto.setQuietHoursStart(p.quietStart().toString()).setQuietHoursEnd(p.quietEnd().toString());
        }
        if (p.dailyReminder() != null) {
            proto.setDailyReminderTime(p.dailyReminder().toString());
        }
        if (p.email() != null) {
            proto.setEmail(p.email());
        }
        if (p.webhookUrl() != null) {
            proto.setWebhookUrl(p.webhookUrl()); // the secret is never read back
        }
        return proto.build();
    }

    /** Public kinds are numbered from 1 in the order of the service's own. */
    private static NotificationKind kind(int value) {
        return NotificationKind.values()[value - 1];
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static LocalTime time(String value) {
        try {
            return value.length() == 5 ? LocalTime.parse(value) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
