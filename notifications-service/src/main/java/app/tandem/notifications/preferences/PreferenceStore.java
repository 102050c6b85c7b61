package app.tandem.notifications.preferences;

import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.platform.crypto.PersonalDataCipher;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.stream.Collectors;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

/**
 * Each person's preferences. The e-mail address and the webhook secret are encrypted under the person's key. A
 * document written before contacts were confirmed reads as unconfirmed: such a contact gets prompts again once confirmed.
 */
@Component
public class PreferenceStore {

    private final MongoCollection<Document> preferences;
    private final PersonalDataCipher cipher;

    public PreferenceStore(MongoDatabase database, PersonalDataCipher cipher) {
        this.preferences = database.getCollection("notification_preferences");
        this.cipher = cipher;
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
        return new Preferences(ZoneId.of(d.getString("zone")),
                d.getString("quietStart") == null ? null : LocalTime.parse(d.getString("quietStart")),
                d.getString("quietEnd") == null ? null : LocalTime.parse(d.getString("quietEnd")),
                d.getList("muted", String.class).stream().map(NotificationKind::valueOf).collect(Collectors.toUnmodifiableSet()),
                d.getInteger("dailyCap"), open(personId, d.getString("email")), d.getString("webhookUrl"),
                open(personId, d.getString("webhookSecret")), d.getInteger("cravingAlertThreshold", 0),
                d.getString("dailyReminder") == null ? null : LocalTime.parse(d.getString("dailyReminder")),
                d.getBoolean("emailConfirmed", false), d.getBoolean("webhookConfirmed", false));
    }

    /** The craving level at which a person asked for support to be prompted, 0 for never. */
    private static int threshold(Document d) {
        return d == null ? Preferences.DEFAULT.cravingAlertThreshold() : d.getInteger("cravingAlertThreshold", 0);
    }

    public void save(String personId, Preferences p) {
        preferences.replaceOne(eq("_id", personId), new Document("_id", personId)
                .append("zone", p.zone().getId())
                .append("quietStart", p.quietStart() == null ? null : p.quietStart().toString())
                .append("quietEnd", p.quietEnd() == null ? null : p.quietEnd().toString())
                .append("muted", p.muted().stream().map(Enum::name).sorted().toList())
                .append("dailyCap", p.dailyCap())
                .append("email", p.email() == null ? null : cipher.encrypt(personId, p.email()))
                .append("webhookUrl", p.webhookUrl())
                .append("webhookSecret", p.webhookSecret() == null ? null : cipher.encrypt(personId, p.webhookSecret()))
                .append("cravingAlertThreshold", p.cravingAlertThreshold())
                .append("dailyReminder", p.dailyReminder() == null ? null : p.dailyReminder().toString())
                .append("emailConfirmed", p.emailConfirmed())
                .append("webhookConfirmed", p.webhookConfirmed()),
                new ReplaceOptions().upsert(true));
    }

    /** The person entered the code sent to the contact. */
    public void confirm(String personId, Contact contact) {
        preferences.updateOne(eq("_id", personId), Updates.set(contact == Contact.EMAIL ? "emailConfirmed" : "webhookConfirmed", true));
    }

    private String open(String personId, String sealed) {
        return sealed == null ? null : cipher.decrypt(personId, sealed).orElse(null);
    }
}
