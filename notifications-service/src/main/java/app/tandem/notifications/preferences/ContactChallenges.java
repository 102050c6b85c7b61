package app.tandem.notifications.preferences;

import app.tandem.platform.mongo.CappedCounts;
import app.tandem.platform.privacy.StoredFields;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lt;

/**
 * The open challenge of each person's e-mail address and webhook: one at a time per contact, bound to the exact
 * address it was sent to, valid for {@link #LIFETIME} and {@link #ATTEMPTS} tries, after which only a new one (the
 * address set again) helps. At most {@link #PER_DAY} are opened per person and contact a day, and {@link #PER_ADDRESS}
 * per address a day whoever asks, each counted in one atomic update before anything is stored, so parallel requests
 * get no more than serial ones. Only the code's keyed hash is stored. Every try is counted before it is compared, in
 * one atomic update, so parallel guesses get no more tries than serial ones.
 */
@Component
public class ContactChallenges {

    public static final Duration LIFETIME = Duration.ofHours(24);
    public static final int ATTEMPTS = 5;
    /** Challenges opened per person and contact in a day (UTC). */
    public static final int PER_DAY = 5;
    /** Challenges sent to one e-mail address or webhook URL in a day (UTC), by all accounts together. */
    public static final int PER_ADDRESS = 5;

    public enum Outcome { CONFIRMED, WRONG_CODE, NO_OPEN_CHALLENGE }

    /** How a try ended; {@code addressKey} is the address the challenge was for, when it was confirmed. */
    public record Answer(Outcome outcome, String addressKey) {
    }

    /** Whether a code may be sent: yes, or which count is used up. */
    public enum Reservation { RESERVED, PERSON_USED_UP, ADDRESS_USED_UP }

    private final MongoCollection<Document> challenges;
    /** How many challenges were opened per person and contact, and per address, each day; MongoDB removes a count after two days. */
    private final CappedCounts opened;
    private final ConfirmationCodes codes;
    private final Clock clock;

    public ContactChallenges(MongoDatabase database, ConfirmationCodes codes, Clock clock) {
        this.challenges = database.getCollection("contact_challenges");
        this.opened = new CappedCounts(database.getCollection("contact_challenges_opened"));
        this.codes = codes;
        this.clock = clock;
    }

    /**
     * Counts one challenge for the person's contact and for {@code address} today, if neither count is used up; if
     * one is, nothing is counted. Called before the change is stored.
     */
    public Reservation reserve(String personId, Contact contact, String address) {
        String person = dayKey(key(personId, contact));
        if (!countOne(person, PER_DAY)) {
            return Reservation.PERSON_USED_UP;
        }
        if (!countOne(dayKey("to/" + codes.recipientKey(contact, address)), PER_ADDRESS)) {
            opened.removeOne(person);
            return Reservation.ADDRESS_USED_UP;
        }
        return Reservation.RESERVED;
    }

    private boolean countOne(String id, int limit) {
        return opened.addOne(id, limit, clock.instant().plus(Duration.ofDays(2)));
    }

    /** A new challenge for the contact at {@code address}, replacing any earlier one; its id, from which its code derives. */
    public String open(String personId, Contact contact, String address) {
        String challengeId = UUID.randomUUID().toString();
        challenges.replaceOne(eq("_id", key(personId, contact)), new Document("_id", key(personId, contact))
                .append("challenge", challengeId)
                .append("addressKey", codes.addressKey(contact, address))
                .append("codeHash", codes.hash(codes.codeFor(personId, contact, challengeId)))
                .append("expiresAt", Date.from(clock.instant().plus(LIFETIME)))
                .append("attempts", 0), new ReplaceOptions().upsert(true));
        return challengeId;
    }

    /** The id of the contact's challenge while it can still be answered, if it was sent to {@code address}. */
    public Optional<String> answerable(String personId, Contact contact, String address) {
        Document d = challenges.find(eq("_id", key(personId, contact))).first();
        if (d == null || !d.getDate("expiresAt").toInstant().isAfter(clock.instant()) || d.getInteger("attempts") >= ATTEMPTS
                || !codes.addressKey(contact, address).equals(d.getString("addressKey"))) {
            return Optional.empty();
        }
        return Optional.of(d.getString("challenge"));
    }

    /** One try at the contact's code; a right one closes the challenge and tells which address it confirms. */
    public Answer answer(String personId, Contact contact, String code) {
        Document counted = challenges.findOneAndUpdate(
                and(eq("_id", key(personId, contact)), gt("expiresAt", Date.from(clock.instant())), lt("attempts", ATTEMPTS)),
                Updates.inc("attempts", 1), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (counted == null || counted.getString("addressKey") == null) {
            return new Answer(Outcome.NO_OPEN_CHALLENGE, null);
        }
        if (!ConfirmationCodes.sameHash(codes.hash(code), counted.getString("codeHash"))) {
            return new Answer(Outcome.WRONG_CODE, null);
        }
        challenges.deleteOne(and(eq("_id", key(personId, contact)), eq("challenge", counted.getString("challenge"))));
        return new Answer(Outcome.CONFIRMED, counted.getString("addressKey"));
    }

    /** The contacts the person has a code out for, and until when it holds. */
    public Map<Contact, Instant> openFor(String personId) {
        Map<Contact, Instant> open = new EnumMap<>(Contact.class);
        for (Contact contact : Contact.values()) {
            Document d = challenges.find(eq("_id", key(personId, contact))).first();
            if (d != null) {
                open.put(contact, d.getDate("expiresAt").toInstant());
            }
        }
        return open;
    }

    /**
     * Removes the person's challenges and today's counts of them, also those kept for the addresses they gave
     * ({@code addresses}, by contact).
     */
    public void erase(String personId, Map<Contact, String> addresses) {
        challenges.deleteMany(StoredFields.idStartsWith(personId + "/"));
        opened.erase(personId + "/");
        addresses.forEach((contact, address) -> opened.erase("to/" + codes.recipientKey(contact, address) + "/"));
    }

    /** The contact was removed or changed: its challenge can no longer confirm anything. */
    public void close(String personId, Contact contact) {
        challenges.deleteOne(eq("_id", key(personId, contact)));
    }

    private static String key(String personId, Contact contact) {
        return personId + "/" + contact.name();
    }

    private String dayKey(String key) {
        return key + "/" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
