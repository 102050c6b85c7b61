package app.tandem.notifications.preferences;

import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.platform.crypto.PersonalDataCipher;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.stream.Collectors;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

/**
 * Each person's preferences. The e-mail address and the webhook secret are encrypted under the person's key. A
 * document written before contacts were confirmed reads as unconfirmed: such a contact gets prompts again once confirmed.
 * <p>
 * A contact is confirmed when the address it points at now is the one a code confirmed: the document keeps the keyed
 * hash of the confirmed address beside the address, and {@link #save} never writes it. So a confirmation holds only
 * for the address its code was sent to, a save from a stale read cannot undo it, and a changed address is
 * unconfirmed with nothing to reset. (Confirmations stored as a plain flag, before, read as unconfirmed.)
 */
@Component
public class PreferenceStore {

    private final MongoCollection<Document> preferences;
    private final PersonalDataCipher cipher;
    private final ConfirmationCodes codes;

    public PreferenceStore(MongoDatabase database, PersonalDataCipher cipher, ConfirmationCodes codes) {
        this.preferences = database.getCollection("notification_preferences");
        this.cipher = cipher;
        this.codes = codes;
    }

    /** Removes the person's preferences and addresses. */
    public void erase(String personId) {
        preferences.deleteOne(eq("_id", personId));
    }

    public Preferences of(String personId) {
        return fromDocument(personId, preferences.find(eq("_id", personId)).first());
    }

    /** The preferences of a shared check-in's partner, and the craving level at which its author asked for support. */
    public record ForSharedCheckIn(int authorAlertThreshold, Preferences partner) {
    }

    /** Both in one read; only the partner's channels are decrypted. */
    public ForSharedCheckIn forSharedCheckIn(String authorPersonId, String partnerPersonId) {
        Document author = null;
        Document partner = null;
        for (Document d : preferences.find(in("_id", authorPersonId, partnerPersonId))) {
            if (authorPersonId.equals(d.getString("_id"))) {
                author = d;
            }
            if (partnerPersonId.equals(d.getString("_id"))) {
                partner = d;
            }
        }
        return new ForSharedCheckIn(threshold(author), fromDocument(partnerPersonId, partner));
    }

    private Preferences fromDocument(String personId, Document d) {
        if (d == null) {
            return Preferences.DEFAULT;
        }
        String email = open(personId, d.getString("email"));
        String webhookUrl = d.getString("webhookUrl");
        return new Preferences(ZoneId.of(d.getString("zone")),
                d.getString("quietStart") == null ? null : LocalTime.parse(d.getString("quietStart")),
                d.getString("quietEnd") == null ? null : LocalTime.parse(d.getString("quietEnd")),
                d.getList("muted", String.class).stream().map(NotificationKind::valueOf).collect(Collectors.toUnmodifiableSet()),
                d.getInteger("dailyCap"), email, webhookUrl,
                open(personId, d.getString("webhookSecret")), d.getInteger("cravingAlertThreshold", 0),
                d.getString("dailyReminder") == null ? null : LocalTime.parse(d.getString("dailyReminder")),
                confirmed(d, Contact.EMAIL, email), confirmed(d, Contact.WEBHOOK, webhookUrl));
    }

    private boolean confirmed(Document d, Contact contact, String address) {
        return address != null && codes.addressKey(contact, address).equals(d.getString(field(contact) + "ConfirmedKey"));
    }

    private static String field(Contact contact) {
        return contact == Contact.EMAIL ? "email" : "webhook";
    }

    /** The craving level at which a person asked for support to be prompted, 0 for never. */
    private static int threshold(Document d) {
        return d == null ? Preferences.DEFAULT.cravingAlertThreshold() : d.getInteger("cravingAlertThreshold", 0);
    }

    /** Everything but confirmations, which {@link #confirm} alone writes; {@code p}'s confirmed flags are not read. */
    public void save(String personId, Preferences p) {
        preferences.updateOne(eq("_id", personId), Updates.combine(
                Updates.set("zone", p.zone().getId()),
                Updates.set("quietStart", p.quietStart() == null ? null : p.quietStart().toString()),
                Updates.set("quietEnd", p.quietEnd() == null ? null : p.quietEnd().toString()),
                Updates.set("muted", p.muted().stream().map(Enum::name).sorted().toList()),
                Updates.set("dailyCap", p.dailyCap()),
                Updates.set("email", p.email() == null ? null : cipher.encrypt(personId, p.email())),
                Updates.set("emailKey", p.email() == null ? null : codes.addressKey(Contact.EMAIL, p.email())),
                Updates.set("webhookUrl", p.webhookUrl()),
                Updates.set("webhookKey", p.webhookUrl() == null ? null : codes.addressKey(Contact.WEBHOOK, p.webhookUrl())),
                Updates.set("webhookSecret", p.webhookSecret() == null ? null : cipher.encrypt(personId, p.webhookSecret())),
                Updates.set("cravingAlertThreshold", p.cravingAlertThreshold()),
                Updates.set("dailyReminder", p.dailyReminder() == null ? null : p.dailyReminder().toString()),
                Updates.unset("emailConfirmed"), Updates.unset("webhookConfirmed")),
                new UpdateOptions().upsert(true));
    }

    /**
     * The person entered the code sent to the contact at the address {@code addressKey} names: confirmed, if the
     * contact still points there; a change meanwhile leaves the new address unconfirmed.
     */
    public void confirm(String personId, Contact contact, String addressKey) {
        preferences.updateOne(and(eq("_id", personId), eq(field(contact) + "Key", addressKey)),
                Updates.set(field(contact) + "ConfirmedKey", addressKey));
    }

    private String open(String personId, String sealed) {
        return sealed == null ? null : cipher.decrypt(personId, sealed).orElse(null);
    }
}
