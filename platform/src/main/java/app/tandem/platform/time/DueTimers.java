package app.tandem.platform.time;

import app.tandem.platform.mongo.Claims;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.function.Function;

import static com.mongodb.client.model.Filters.eq;

/**
 * Timers durable in MongoDB, one document each, set and cancelled by a tracking projection of the events that
 * start and end them (so a replay rebuilds them) and fired by a {@link Poller}. A timer that has come is taken by
 * one replica at a time (see {@link Claims}); it goes once its firing says it is done, and one whose firing failed,
 * or said to try later, or whose replica died, is fired again when its claim has run out. Firings are commands
 * their aggregates take once, so firing twice does nothing twice.
 */
public final class DueTimers {

    /** What a firing leaves behind: nothing, or the timer, to fire again after the retry interval. */
    public enum Outcome { DONE, LATER }

    /** A timer that has come: its id, when it was set for, and what was stored with it. */
    public record Timer(String id, Instant at, Document data) {
    }

    private final MongoCollection<Document> timers;
    private final String atField;
    private final Claims claims;

    /**
     * @param atField the field holding each timer's moment
     * @param retry   how long a fired timer is held by its replica before it may be fired again
     */
    public DueTimers(MongoCollection<Document> timers, String atField, Duration retry, Clock clock) {
        this.timers = timers;
        this.atField = atField;
        this.timers.createIndex(Indexes.ascending(atField));
        this.claims = Claims.dueBy(timers, atField, retry, clock);
    }

    /** Sets (or moves) timer {@code id} to {@code at}, with {@code data} to fire it with. */
    public void set(String id, Instant at, Document data) {
        Document timer = new Document(data).append("_id", id).append(atField, Date.from(at));
        timers.replaceOne(eq("_id", id), timer, new ReplaceOptions().upsert(true));
    }

    /** Cancels the timers matching {@code filter}, fired or not. */
    public void cancel(Bson filter) {
        timers.deleteMany(filter);
    }

    /** Cancels every timer, before a replay sets them again. */
    public void clear() {
        timers.deleteMany(new Document());
    }

    /**
     * Fires up to {@code batch} timers that have come, earliest first, unless the thread is interrupted (the service
     * stopping).
     *
     * @return how many were fired
     */
    public int fireDue(int batch, Function<Timer, Outcome> fire) {
        int fired = 0;
        Optional<Claims.Claim> next;
        while (fired < batch && !Thread.currentThread().isInterrupted() && (next = claims.next()).isPresent()) {
            Claims.Claim claim = next.get();
            Document data = claim.item();
            if (fire.apply(new Timer(data.getString("_id"), data.getDate(atField).toInstant(), data)) == Outcome.DONE) {
                timers.deleteOne(claim.mine());
            }
            fired++;
        }
        return fired;
    }
}
