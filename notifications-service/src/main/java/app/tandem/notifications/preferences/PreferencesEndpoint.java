package app.tandem.notifications.preferences;

import app.tandem.api.v1.ConfirmContactRequest;
import app.tandem.api.v1.ContactState;
import app.tandem.api.v1.GetPreferencesRequest;
import app.tandem.api.v1.NotificationPreferences;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.notifications.channels.Outbox;
import app.tandem.notifications.channels.WebhookAddresses;
import app.tandem.notifications.delivery.PromptPolicy;
import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.notifications.reminders.DailyReminders;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.security.Caller;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

import java.net.URI;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person's notification preferences: always the caller's own. A new e-mail address or webhook is used only after
 * the person entered the code sent there ({@link ContactChallenges}), so no one can make Tandem write to an address
 * or call a URL that is not theirs.
 */
@Service
public class PreferencesEndpoint implements NotificationServiceGrpc.AsyncService {

    static final int MAX_DAILY_CAP = 50;
    static final int MIN_SECRET_LENGTH = 16;
    private static final int MAX_URL_LENGTH = 2048;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    private final PreferenceStore store;
    private final DailyReminders reminders;
    private final WebhookAddresses webhookAddresses;
    private final ContactChallenges challenges;
    private final Outbox outbox;

    public PreferencesEndpoint(PreferenceStore store, DailyReminders reminders, WebhookAddresses webhookAddresses,
                               ContactChallenges challenges, Outbox outbox) {
        this.store = store;
        this.reminders = reminders;
        this.webhookAddresses = webhookAddresses;
        this.challenges = challenges;
        this.outbox = outbox;
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
                ? webhookAddresses.refusal(request.getWebhookUrl(), actor) : Optional.empty();
        boolean lookupBusy = webhookRefused.filter(WebhookAddresses.Refusal::busy).isPresent();
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
                .require(webhookRefused.isEmpty() || lookupBusy, "webhook_url", webhookRefused.map(WebhookAddresses.Refusal::reason).orElse(""))
                .require(!webhook || request.getWebhookSecret().length() >= MIN_SECRET_LENGTH, "webhook_secret",
                        "must be at least " + MIN_SECRET_LENGTH + " characters")
                .requireRange(request.getCravingAlertThreshold(), 0, 10, "craving_alert_threshold")
                .require(request.getDailyReminderTime().isEmpty() || time(request.getDailyReminderTime()) != null, "daily_reminder_time", "must be HH:MM")
                .orThrow();
        if (lookupBusy) {
            // the URL may well be fine: this service could not look its host up now
            throw Status.UNAVAILABLE.withDescription("webhook_url: " + webhookRefused.get().reason()).asRuntimeException();
        }
        Set<NotificationKind> muted = request.getMutedKindsValueList().stream().map(PreferencesEndpoint::kind)
                .collect(Collectors.toUnmodifiableSet());
        Preferences before = store.of(actor);
        String email = blankToNull(request.getEmail());
        String webhookUrl = webhook ? request.getWebhookUrl() : null;
        // a contact stays confirmed while it points where it did; any change needs a new confirmation
        boolean emailConfirmed = email != null && email.equals(before.email()) && before.emailConfirmed();
        boolean webhookConfirmed = webhookUrl != null && webhookUrl.equals(before.webhookUrl()) && before.webhookConfirmed();
        Preferences preferences = new Preferences(request.getTimeZone().isEmpty() ? ZoneOffset.UTC : zone(request.getTimeZone()),
                quiet ? time(request.getQuietHoursStart()) : null, quiet ? time(request.getQuietHoursEnd()) : null, muted,
                request.getDailyCap(), email, webhookUrl, webhook ? request.getWebhookSecret() : null, request.getCravingAlertThreshold(),
                request.getDailyReminderTime().isEmpty() ? null : time(request.getDailyReminderTime()), emailConfirmed, webhookConfirmed);
        Set<Contact> challenged = EnumSet.noneOf(Contact.class);
        for (Contact contact : Contact.values()) {
            if (needsChallenge(actor, contact, before, preferences)) {
                // codes to an address are messages to whoever owns it: a few a day from a person, and a few a day to an
                // address from everyone, so no one is flooded through Tandem
                String field = contact == Contact.EMAIL ? "email" : "webhook_url";
                switch (challenges.reserve(actor, contact, preferences.address(contact))) {
                    case PERSON_USED_UP -> throw new RuleViolation(field + ": " + ContactChallenges.PER_DAY
                            + " codes were sent for it today; try again tomorrow");
                    case ADDRESS_USED_UP -> throw new RuleViolation(field + ": " + ContactChallenges.PER_ADDRESS
                            + " codes were sent to this address today; try again tomorrow");
                    case RESERVED -> challenged.add(contact);
                }
            }
        }
        for (Contact contact : Contact.values()) {
            if (!Objects.equals(preferences.address(contact), before.address(contact))) {
                challenges.close(actor, contact); // before the new address is stored: an earlier code confirms nothing any more
            }
        }
        store.save(actor, preferences);
        for (Contact contact : challenged) {
            String address = preferences.address(contact);
            outbox.enqueueChallenge(actor, contact, challenges.open(actor, contact, address), address);
        }
        reminders.schedule(actor, preferences);
        response.onNext(toProto(preferences));
        response.onCompleted();
    }

    /**
     * A new or changed contact gets a code; an unconfirmed one set again gets one only when its last expired or was
     * tried too often, so saving other preferences sends nothing.
     */
    private boolean needsChallenge(String actor, Contact contact, Preferences before, Preferences after) {
        String address = after.address(contact);
        if (address == null || after.confirmed(contact)) {
            return false;
        }
        return !address.equals(before.address(contact)) || challenges.answerable(actor, contact, address).isEmpty();
    }

    @Override
    public void confirmContact(ConfirmContactRequest request, StreamObserver<NotificationPreferences> response) {
        String actor = Caller.current().personId();
        Contact contact = switch (request.getChannel()) {
            case CONTACT_CHANNEL_EMAIL -> Contact.EMAIL;
            case CONTACT_CHANNEL_WEBHOOK -> Contact.WEBHOOK;
            default -> null;
        };
        new Validation()
                .require(contact != null, "channel", "must be CONTACT_CHANNEL_EMAIL or CONTACT_CHANNEL_WEBHOOK")
                .require(ConfirmationCodes.isWellFormed(request.getCode()), "code", "must be the code that was sent, such as ABCD-EFGH")
                .orThrow();
        Preferences preferences = store.of(actor);
        if (preferences.address(contact) == null) {
            throw new RuleViolation("channel: there is no " + (contact == Contact.EMAIL ? "e-mail address" : "webhook") + " to confirm");
        }
        if (!preferences.confirmed(contact)) {
            ContactChallenges.Answer answer = challenges.answer(actor, contact, request.getCode());
            switch (answer.outcome()) {
                case WRONG_CODE -> new Validation().require(false, "code", "is not the code that was sent").orThrow();
                case NO_OPEN_CHALLENGE -> throw new RuleViolation(
                        "code: expired or tried too often; set the address again to get a new code");
                case CONFIRMED -> store.confirm(actor, contact, answer.addressKey()); // the address the code went to, only
            }
            preferences = store.of(actor);
        }
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
            proto.setEmail(p.email()).setEmailState(p.confirmed(Contact.EMAIL) ? ContactState.CONTACT_CONFIRMED : ContactState.CONTACT_UNCONFIRMED);
        }
        if (p.webhookUrl() != null) {
            proto.setWebhookUrl(p.webhookUrl()) // the secret is never read back
                    .setWebhookState(p.confirmed(Contact.WEBHOOK) ? ContactState.CONTACT_CONFIRMED : ContactState.CONTACT_UNCONFIRMED);
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
