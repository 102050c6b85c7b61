package app.tandem.notifications.preferences;

import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.springframework.stereotype.Component;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A person's notification preferences with their e-mail address and webhook, decrypted, and the confirmation codes they
 * have out. The webhook's signing secret is only said to exist: it is a credential, not something about them.
 */
@Component
public class PreferencesPersonalData implements PersonalData {

    private final PreferenceStore preferences;
    private final ContactChallenges challenges;

    public PreferencesPersonalData(PreferenceStore preferences, ContactChallenges challenges) {
        this.preferences = preferences;
        this.challenges = challenges;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        Preferences p = preferences.of(personId);
        if (!p.equals(Preferences.DEFAULT)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("zone", p.zone().getId());
            fields.put("quietStart", p.quietStart() == null ? null : p.quietStart().toString());
            fields.put("quietEnd", p.quietEnd() == null ? null : p.quietEnd().toString());
            fields.put("muted", p.muted().stream().map(Enum::name).sorted().toList());
            fields.put("dailyCap", p.dailyCap());
            fields.put("email", p.email());
            fields.put("emailConfirmed", p.emailConfirmed());
            fields.put("webhookUrl", p.webhookUrl());
            fields.put("webhookConfirmed", p.webhookConfirmed());
            fields.put("webhookSecretSet", p.webhookSecret() != null);
            fields.put("cravingAlertThreshold", p.cravingAlertThreshold());
            fields.put("dailyReminder", p.dailyReminder() == null ? null : p.dailyReminder().toString());
            export.item("preferences", personId, fields);
        }
        challenges.openFor(personId).forEach((contact, expiresAt) -> export.item("contact-confirmation", contact.name(),
                Map.of("contact", contact.name(), "address", p.address(contact) == null ? "" : p.address(contact),
                        "expiresAt", StoredFields.time(expiresAt))));
    }

    @Override
    public void erase(String personId) {
        // the addresses first: the counts kept for them are found by them
        Preferences p = preferences.of(personId);
        Map<Contact, String> addresses = new EnumMap<>(Contact.class);
        for (Contact contact : Contact.values()) {
            if (p.address(contact) != null) {
                addresses.put(contact, p.address(contact));
            }
        }
        challenges.erase(personId, addresses);
        preferences.erase(personId);
    }
}
