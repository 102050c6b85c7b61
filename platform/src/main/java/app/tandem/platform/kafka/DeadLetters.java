package app.tandem.platform.kafka;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the service set aside because it could never be handled or published, for operators to see, retry or discard:
 * a record consumed from Kafka that no attempt could handle, or a stored event its translation into an integration
 * event failed for. Only the error's class is kept, never its message: messages can carry what a person wrote.
 */
public class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    public enum Kind { CONSUMED, UNPUBLISHED }

    public enum State { WAITING, RETRIED, DISCARDED }

    /** One dead letter; {@code value} is the record's bytes (consumed), {@code position} the event's place in the store (unpublished). */
    public record DeadLetter(String id, Kind kind, String topic, int partition, long offset, long position, String eventId,
                             String eventType, String error, Instant failedAt, State state, int retries, byte[] value) {
    }

    private static final String RETRYING_UNTIL = "retryingUntil";
    private static final Duration RETRY_HOLD = Duration.ofMinutes(1);

    private final MongoCollection<Document> letters;
    private final Clock clock;

    public DeadLetters(MongoDatabase database, Clock clock) {
        this.letters = database.getCollection("dead_letters");
        this.letters.createIndex(Indexes.descending("failedAt"));
        this.clock = clock;
    }

    /** Sets aside a consumed record; the same record set aside again stays one dead letter. */
    public void consumed(ConsumerRecord<?, byte[]> record, Throwable error) {
        String id = record.topic() + "/" + record.partition() + "/" + record.offset();
        Document letter = new Document("_id", id)
                .append("kind", Kind.CONSUMED.name())
                .append("topic", record.topic())
                .append("partition", record.partition())
                .append("offset", record.offset())
                .append("key", record.key() == null ? null : record.key().toString())
                .append("value", record.value() == null ? null : new Binary(record.value()))
                .append("error", errorOf(error));
        set(id, letter);
        log.error("set aside {} after {}", id, errorOf(error));
    }

    /** Sets aside a stored event whose translation failed, so publication goes on without it. */
    public void unpublished(long position, String eventId, String eventType, Throwable error) {
        String id = "event/" + eventId;
        set(id, new Document("_id", id)
                .append("kind", Kind.UNPUBLISHED.name())
                .append("position", position)
                .append("eventId", eventId)
                .append("eventType", eventType)
                .append("error", errorOf(error)));
        log.error("left {} ({}) unpublished after {}", eventId, eventType, errorOf(error));
    }

    private void set(String id, Document letter) {
        Document existing = letters.find(Filters.eq("_id", id)).first();
        letter.append("failedAt", Date.from(clock.instant()))
                .append("state", State.WAITING.name())
                .append("retries", existing == null ? 0 : existing.getInteger("retries", 0));
        letters.replaceOne(Filters.eq("_id", id), letter, new ReplaceOptions().upsert(true));
    }

    private static String errorOf(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause
                && cause.getClass().getName().startsWith("org.springframework.kafka")) {
            cause = cause.getCause(); // the listener's wrapping says nothing; what it wraps does
        }
        return cause.getClass().getName();
    }

    /** How many letters of each kind wait for an operator. */
    public Map<Kind, Long> waiting() {
        Map<Kind, Long> waiting = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            waiting.put(kind, letters.countDocuments(Filters.and(Filters.eq("state", State.WAITING.name()), Filters.eq("kind", kind.name()))));
        }
        return waiting;
    }

    /** Newest first, from {@code offset}. */
    public List<DeadLetter> page(int skip, int limit) {
        List<DeadLetter> page = new ArrayList<>();
        letters.find().sort(Sorts.descending("failedAt", "_id")).skip(skip).limit(limit).forEach(d -> page.add(of(d)));
        return page;
    }

    public Optional<DeadLetter> find(String id) {
        return Optional.ofNullable(letters.find(Filters.eq("_id", id)).first()).map(DeadLetters::of);
    }

    /**
     * Takes a waiting letter for one retry, so two operators (or a retry and a discard) never act on it at once;
     * empty when it is not waiting or another retry holds it. A retry that dies leaves it waiting after a minute.
     */
    public Optional<DeadLetter> takeForRetry(String id) {
        Date now = Date.from(clock.instant());
        return Optional.ofNullable(letters.findOneAndUpdate(
                Filters.and(Filters.eq("_id", id), Filters.eq("state", State.WAITING.name()), Filters.not(Filters.gt(RETRYING_UNTIL, now))),
                Updates.set(RETRYING_UNTIL, Date.from(clock.instant().plus(RETRY_HOLD))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))).map(DeadLetters::of);
    }

    /** Handled at last: what the record said is no longer kept. */
    public void retried(String id) {
        letters.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("state", State.RETRIED.name()), Updates.inc("retries", 1),
                Updates.unset(RETRYING_UNTIL), Updates.unset("value")));
    }

    public void retryFailed(String id, Throwable error) {
        letters.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("error", errorOf(error)), Updates.inc("retries", 1),
                Updates.unset(RETRYING_UNTIL)));
    }

    /** Given up on a waiting letter that no retry holds: what the record said is no longer kept. False otherwise. */
    public boolean discard(String id) {
        return letters.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("state", State.WAITING.name()),
                        Filters.not(Filters.gt(RETRYING_UNTIL, Date.from(clock.instant())))),
                Updates.combine(Updates.set("state", State.DISCARDED.name()), Updates.unset("value"))).getModifiedCount() == 1;
    }

    private static DeadLetter of(Document d) {
        Binary value = d.get("value", Binary.class);
        return new DeadLetter(d.getString("_id"), Kind.valueOf(d.getString("kind")), d.getString("topic"),
                d.getInteger("partition", -1), number(d, "offset"), number(d, "position"), d.getString("eventId"), d.getString("eventType"),
                d.getString("error"), d.getDate("failedAt").toInstant(), State.valueOf(d.getString("state")), d.getInteger("retries", 0),
                value == null ? null : value.getData());
    }

    private static long number(Document d, String field) {
        Number value = d.get(field, Number.class);
        return value == null ? -1 : value.longValue();
    }
}
