package app.tandem.notifications.preferences;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lt;

/**
 * The open challenge of each person's e-mail address and webhook: one at a time per contact, valid for
 * {@link #LIFETIME} and {@link #ATTEMPTS} tries, after which only a new one (the address set again) helps; at most
 * {@link #PER_DAY} are opened per contact and day. Only the
 * code's keyed hash is stored. Every try is counted before it is compared, in one atomic update, so parallel
 * guesses get no more tries than serial ones.
 */
@Component
public class ContactChallenges {

    public static final Duration LIFETIME = Duration.ofHours(24);
    public static final int ATTEMPTS = 5;
    /** Challenges opened per person and contact in a day (UTC). */
    public static final int PER_DAY = 5;

    public enum Outcome { CONFIRMED, WRONG_CODE, NO_OPEN_CHALLENGE }

    private final MongoCollection<Document> challenges;
    /** How many challenges each person opened for each contact per day; MongoDB removes a count after two days. */
    private final MongoCollection<Document> opened;
    private final ConfirmationCodes codes;
    private final Clock clock;

    public ContactChallenges(MongoDatabase database, ConfirmationCodes codes, Clock clock) {
        this.challenges = database.getCollection("contact_challenges");
        this.opened = database.getCollection("contact_challenges_opened");
        this.opened.createIndex(Indexes.ascending("expiresAt"), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
        this.codes = codes;
        this.clock = clock;
    }

    /**
     * Whether another challenge may be opened for the contact today. Checked before the change is stored; two
     * changes at the same moment may each pass it, so the count can go a little over, never far.
     */
    public boolean mayOpen(String personId, Contact contact) {
        Document today = opened.find(eq("_id", dayKey(personId, contact))).first();
        return today == null || today.getInteger("count", 0) < PER_DAY;
    }

    /** A new challenge for the contact, replacing any earlier one; its id, from which its code derives. */
    public String open(String personId, Contact contact) {
        String challengeId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        challenges.replaceOne(eq("_id", key(personId, contact)), new Document("_id", key(personId, contact))
                .append("challenge", challengeId)
                .append("codeHash", codes.hash(codes.codeFor(personId, contact, challengeId)))
                .append("expiresAt", Date.from(now.plus(LIFETIME)))
                .append("attempts", 0), new ReplaceOptions().upsert(true));
        opened.updateOne(eq("_id", dayKey(personId, contact)), Updates.combine(Updates.inc("count", 1),
                Updates.setOnInsert("expiresAt", Date.from(now.plus(Duration.ofDays(2))))), new UpdateOptions().upsert(true));
        return challengeId;
    }

    /** The id of the contact's challenge while it can still be answered. */
    public Optional<String> answerable(String personId, Contact contact) {
        Document d = challenges.find(eq("_id", key(personId, contact))).first();
        if (d == null || !d.getDate("expiresAt").toInstant().isAfter(clock.instant()) || d.getInteger("attempts") >= ATTEMPTS) {
            return Optional.empty();
        }
        return Optional.of(d.getString("challenge"));
    }

    /** One try at the contact's code; a right one closes the challenge. */
    public Outcome answer(String personId, Contact contact, String code) {
        Document counted = challenges.findOneAndUpdate(
                and(eq("_id", key(personId, contact)), gt("expiresAt", Date.from(clock.instant())), lt("attempts", ATTEMPTS)),
                Updates.inc("attempts", 1), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (counted == null) {
            return Outcome.NO_OPEN_CHALLENGE;
        }
        if (!ConfirmationCodes.sameHash(codes.hash(code), counted.getString("codeHash"))) {
            return Outcome.WRONG_CODE;
        }
        challenges.deleteOne(and(eq("_id", key(personId, contact)), eq("challenge", counted.getString("challenge"))));
        return Outcome.CONFIRMED;
    }

    /** The contact was removed or changed: its challenge can no longer confirm anything. */
    public void close(String personId, Contact contact) {
        challenges.deleteOne(eq("_id", key(personId, contact)));
    }

    private static String key(String personId, Contact contact) {
        return personId + "/" + contact.name();
    }

    private String dayKey(String personId, Contact contact) {
        return key(personId, contact) + "/" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
