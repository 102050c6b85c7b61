package app.tandem.platform.ops;

import app.tandem.platform.axon.StoredPositions;
import app.tandem.platform.domain.Conflict;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import app.tandem.platform.logging.Redacted;
import app.tandem.platform.mongo.Claims;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Resets a streaming processor while several replicas of the service run it. Axon without Axon Server has no way to
 * tell the other replicas' processors anything, so they meet in the service's database: the replica asked records the
 * reset in {@code processor_resets}; every replica looks there every {@code tandem.event-store.reset-watch-interval}
 * and hands back its segments of that processor, not claiming them again until the reset is over or its deadline
 * passed; once no segment is claimed in the token store, the replica asked claims every segment itself (keeping the
 * claims alive while the read model is emptied and rebuilt from the first event), resets the tokens, releases them and
 * marks the reset done; every replica then claims again. Anything failing after the claims were taken marks the reset
 * INTERRUPTED, since the read model may already be emptied. A replica that dies holding
 * a segment holds it until its claim times out ({@code tandem.event-store.claim-timeout}); a reset still waiting at its
 * deadline is abandoned with nothing reset, and the replicas claim again by themselves.
 */
public class ProcessorResets {

    /** Where a reset is; a reset still RELEASING or RESETTING after its deadline was left by a replica that stopped. */
    enum State { RELEASING, RESETTING, DONE, ABANDONED, INTERRUPTED }

    /** One reset asked for; {@code finishedAt} and {@code replayUntilPosition} once it is over. */
    record Reset(String id, String processor, State state, Instant requestedAt, Instant deadline, Instant finishedAt,
                 long replayUntilPosition) {

        static Reset of(Document stored) {
            Date finished = stored.getDate("finishedAt");
            return new Reset(stored.getString("_id"), stored.getString("processor"), State.valueOf(stored.getString("state")),
                    stored.getDate("requestedAt").toInstant(), stored.getDate("deadline").toInstant(),
                    finished == null ? null : finished.toInstant(), stored.get("replayUntilPosition", 0L));
        }

        /** The state as it stands at {@code now}: one left unfinished past its deadline ended there. */
        State stateAt(Instant now) {
            if (now.isBefore(deadline)) {
                return state;
            }
            return switch (state) {
                case RELEASING -> State.ABANDONED;
                case RESETTING -> State.INTERRUPTED;
                default -> state;
            };
        }

        boolean underWay(Instant now) {
            State at = stateAt(now);
            return at == State.RELEASING || at == State.RESETTING;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorResets.class);
    private static final long LOOK_EVERY_MILLIS = 50;

    private final MongoCollection<Document> resets;
    private final MongoCollection<Document> lockItems;
    private final Claims locks;
    private final EventProcessingConfiguration processing;
    private final TokenStore tokens;
    private final StoredPositions stored;
    private final LongSupplier headPosition;
    private final Duration claimTimeout;
    private final Duration deadline;
    private final String replicaId;
    /** The token store's own clock: claims are dated by it, not by the service's clock that tests may move. */
    private final Clock clock = Clock.systemUTC();
    /** Processors whose segments this replica handed back, with the reset they were handed back for. */
    private final Map<String, String> releasedHere = new ConcurrentHashMap<>();
    /** Processors this replica stopped for a reset, started again by {@link #watch} if a failed reset left them stopped. */
    private final Set<String> stoppedHere = ConcurrentHashMap.newKeySet();
    /** Keeps the claims of a reset under way alive while its handlers empty the read model. */
    private final ScheduledExecutorService claimKeeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "processor-reset-claims");
        thread.setDaemon(true);
        return thread;
    });

    public ProcessorResets(MongoDatabase database, EventProcessingConfiguration processing, TokenStore tokens, StoredPositions stored,
                           LongSupplier headPosition, Duration claimTimeout, Duration deadline, String replicaId) {
        this.replicaId = replicaId;
        this.resets = database.getCollection("processor_resets");
        this.resets.createIndex(Indexes.ascending("state", "deadline"));
        this.resets.createIndex(Indexes.compoundIndex(Indexes.ascending("processor"), Indexes.descending("requestedAt")));
        this.lockItems = database.getCollection("processor_reset_locks");
        this.locks = Claims.locks(lockItems, deadline, clock);
        this.processing = processing;
        this.tokens = tokens;
        this.stored = stored;
        this.headPosition = headPosition;
        this.claimTimeout = claimTimeout;
        this.deadline = deadline;
    }

    /**
     * Resets {@code processor}, the reset named {@code resetId}; answers the position the replay runs up to. The same
     * id again answers as the first did, waiting for it if it is still under way, and resets nothing again.
     */
    long reset(StreamingEventProcessor processor, String resetId) throws InterruptedException {
        Optional<Reset> asked = find(resetId);
        if (asked.isPresent()) {
            return outcome(awaitEnd(asked.get()));
        }
        Optional<Claims.Claim> locked = locks.lock(processor.getName());
        if (locked.isEmpty()) {
            // the same request asked twice at once: the first stores its reset right after taking the lock
            Optional<Reset> same = Optional.empty();
            for (int look = 0; look < 20 && same.isEmpty(); look++) {
                Thread.sleep(LOOK_EVERY_MILLIS);
                same = find(resetId);
            }
            return outcome(awaitEnd(same.orElseThrow(() -> new RuleViolation("a reset of " + processor.getName() + " is under way"))));
        }
        Claims.Claim lock = locked.get();
        try {
            Instant now = clock.instant();
            resets.insertOne(new Document("_id", resetId).append("processor", processor.getName()).append("state", State.RELEASING.name())
                    .append("requestedAt", Date.from(now)).append("deadline", Date.from(lock.until())));
        } catch (MongoWriteException e) {
            lockItems.deleteOne(lock.mine());
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return outcome(awaitEnd(find(resetId).orElseThrow())); // the same request, asked twice at once
            }
            throw e;
        }
        try {
            return outcome(run(processor, resetId, lock));
        } finally {
            lockItems.deleteOne(lock.mine());
            watch(); // claim again here at once rather than at the next look
        }
    }

    /** Waits until no replica holds a segment, then resets; a segment still held when the lock runs out abandons it. */
    private Reset run(StreamingEventProcessor processor, String resetId, Claims.Claim lock) throws InterruptedException {
        String name = processor.getName();
        watch(); // hand back this replica's segments without waiting for the next look
        while (true) {
            Set<String> holders = holders(name);
            if (!holders.isEmpty()) {
                if (!clock.instant().isBefore(lock.until())) {
                    finish(resetId, State.ABANDONED, 0);
                    throw new Conflict("segments of " + name + " stayed claimed by " + String.join(", ", holders)
                            + " until the reset's deadline; nothing was reset, the processor goes on where it was");
                }
                Thread.sleep(LOOK_EVERY_MILLIS);
                continue;
            }
            // resetting gets a deadline of its own, and only while the hand-backs still hold: the replicas go on
            // handing back, and the lock keeps out another reset, until it is over
            Instant now = clock.instant();
            Instant resettingUntil = now.plus(deadline);
            boolean resetting = resets.updateOne(Filters.and(Filters.eq("_id", resetId), Filters.eq("state", State.RELEASING.name()),
                            Filters.gt("deadline", Date.from(now))),
                    Updates.combine(Updates.set("state", State.RESETTING.name()), Updates.set("deadline", Date.from(resettingUntil))))
                    .getModifiedCount() == 1;
            if (!resetting || !locks.extend(lock, resettingUntil)) {
                finish(resetId, State.ABANDONED, 0);
                throw new Conflict("the reset of " + name + " reached its deadline before every segment was handed back; "
                        + "nothing was reset, the processor goes on where it was");
            }
            lock = new Claims.Claim(lock.item(), lock.token(), resettingUntil);
            boolean reset;
            try {
                reset = resetTokens(processor, resettingUntil);
            } catch (NothingReset failed) {
                LOG.warn("the reset {} of {} could not claim its segments", resetId, name, Redacted.of(failed.getCause()));
                finish(resetId, State.ABANDONED, 0);
                throw new Conflict("the reset of " + name + " could not claim its segments; nothing was reset, the processor "
                        + "goes on where it was");
            } catch (RuntimeException failed) {
                // the read model may be partly emptied: it must be reset again; the caller hears what a retry would
                LOG.error("the reset {} of {} failed part-way", resetId, name, Redacted.of(failed));
                return finish(resetId, State.INTERRUPTED, 0);
            }
            if (reset) {
                return finish(resetId, State.DONE, headPosition.getAsLong());
            }
            resets.updateOne(Filters.eq("_id", resetId), Updates.set("state", State.RELEASING.name()));
        }
    }

    /**
     * Claims every segment here, then resets the tokens with the processor stopped here, as Axon requires. False when a
     * replica claimed a segment first (one that had not yet seen the reset): then nothing was reset. Once every claim
     * is held, no other replica can take a segment, and a failure leaves the read model to be reset again.
     */
    private boolean resetTokens(StreamingEventProcessor processor, Instant until) throws InterruptedException {
        String name = processor.getName();
        int[] segments;
        ScheduledFuture<?> keeping = null;
        try {
            segments = tokens.fetchSegments(name);
        } catch (RuntimeException unread) {
            throw new NothingReset(unread);
        }
        try {
            for (int segment : segments) {
                tokens.fetchToken(name, segment);
            }
        } catch (UnableToClaimTokenException claimedFirst) {
            release(name, segments);
            return false;
        } catch (RuntimeException unclaimed) {
            try {
                release(name, segments);
            } catch (RuntimeException stillUnreachable) {
                unclaimed.addSuppressed(stillUnreachable); // the claims taken run out by themselves
            }
            throw new NothingReset(unclaimed);
        }
        try {
            keeping = claimKeeper.scheduleAtFixedRate(() -> keep(name, segments), claimTimeout.toMillis() / 3,
                    claimTimeout.toMillis() / 3, TimeUnit.MILLISECONDS);
            stoppedHere.add(name);
            // safe to stop: it holds no segment and claims none while handed back, so Axon 4.13 can start it again
            processor.shutdownAsync().get(Math.max(1, Duration.between(clock.instant(), until).toMillis() / 2), TimeUnit.MILLISECONDS);
            // from the first event; a processor that has seen nothing yet would otherwise be reset to no token at all
            processor.resetTokens(MongoEventStorageEngine.BEFORE_FIRST_EVENT);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not stop " + name + " for its reset", e);
        } finally {
            if (keeping != null) {
                keeping.cancel(false);
            }
            // resetting claimed every segment here: hand them to whichever replica claims first
            release(name, tokens.fetchSegments(name));
            // reset or failed, it is over: this replica claims again as its processor starts, the others at their next try
            claimAgain(processor);
            processor.start();
        }
    }

    /** The token store failed before every segment was claimed here: nothing was emptied. */
    private static final class NothingReset extends RuntimeException {
        NothingReset(RuntimeException cause) {
            super(cause);
        }
    }

    private void keep(String processor, int[] segments) {
        for (int segment : segments) {
            try {
                tokens.extendClaim(processor, segment);
            } catch (RuntimeException lost) {
                LOG.warn("could not keep the claim on segment {} of {} during its reset", segment, processor, Redacted.of(lost));
            }
        }
    }

    private void release(String processor, int[] segments) {
        for (int segment : segments) {
            tokens.releaseClaim(processor, segment);
        }
    }

    /** This replica's name in the token store's claims. */
    String replicaId() {
        return replicaId;
    }

    /** Every segment of {@code processor} as stored, whichever replica holds it. */
    List<StoredPositions.StoredSegment> segments(String processor) {
        return stored.segments(processor, claimTimeout, clock.instant());
    }

    /** The replicas holding a segment of {@code processor}, by the token store's claims. */
    private Set<String> holders(String processor) {
        return segments(processor).stream()
                .map(StoredPositions.StoredSegment::claimedBy).filter(owner -> owner != null)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Reset finish(String resetId, State state, long replayUntil) {
        Instant now = clock.instant();
        resets.updateOne(Filters.eq("_id", resetId), Updates.combine(Updates.set("state", state.name()),
                Updates.set("finishedAt", Date.from(now)), Updates.set("replayUntilPosition", replayUntil)));
        return find(resetId).orElseThrow();
    }

    /** A reset asked for again: waits while it is under way and answers how it ended. */
    private Reset awaitEnd(Reset reset) throws InterruptedException {
        Reset now = reset;
        while (now.underWay(clock.instant())) {
            Thread.sleep(LOOK_EVERY_MILLIS);
            now = find(reset.id()).orElseThrow();
        }
        return now;
    }

    private long outcome(Reset reset) {
        return switch (reset.stateAt(clock.instant())) {
            case DONE -> reset.replayUntilPosition();
            case ABANDONED -> throw new Conflict("this reset of " + reset.processor()
                    + " was abandoned: a segment stayed claimed until its deadline and nothing was reset");
            default -> throw new RuleViolation("this reset of " + reset.processor()
                    + " stopped part-way and its read model may be partly emptied: reset it again with a new idempotency key");
        };
    }

    private Optional<Reset> find(String resetId) {
        return Optional.ofNullable(resets.find(Filters.eq("_id", resetId)).first()).map(Reset::of);
    }

    /** The latest reset asked of {@code processor}, if any. */
    Optional<Reset> latest(String processor) {
        return Optional.ofNullable(resets.find(Filters.eq("processor", processor)).sort(Sorts.descending("requestedAt")).first())
                .map(Reset::of);
    }

    /**
     * Run on every replica every {@code tandem.event-store.reset-watch-interval}: hands back the segments of a
     * processor being reset, until the reset's deadline at the latest, and claims again once it is over.
     */
    synchronized void watch() {
        Instant now = clock.instant();
        Map<String, Reset> underWay = new HashMap<>();
        resets.find(Filters.and(Filters.in("state", State.RELEASING.name(), State.RESETTING.name()), Filters.gt("deadline", Date.from(now))))
                .forEach(stored -> underWay.put(stored.getString("processor"), Reset.of(stored)));
        underWay.values().forEach(reset -> streaming(reset.processor()).ifPresent(processor -> {
            if (!reset.id().equals(releasedHere.get(reset.processor()))) {
                handBack(processor, Duration.between(now, reset.deadline()));
                releasedHere.put(reset.processor(), reset.id());
            }
        }));
        releasedHere.forEach((name, resetId) -> {
            Reset reset = underWay.get(name);
            if (reset == null || !reset.id().equals(resetId)) {
                streaming(name).ifPresent(this::claimAgain);
                releasedHere.remove(name, resetId);
            }
        });
        // a reset that failed while stopping its processor here may have left it stopped
        for (String name : stoppedHere) {
            streaming(name).ifPresent(processor -> {
                if (processor.isRunning()) {
                    stoppedHere.remove(name);
                } else if (!underWay.containsKey(name)) {
                    processor.start();
                }
            });
        }
    }

    /** Releases every segment of the processor held here and claims none for {@code duration}. */
    private void handBack(StreamingEventProcessor processor, Duration duration) {
        for (int segment : segmentsOf(processor)) {
            processor.releaseSegment(segment, duration.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Lifts the hand-back: the processor claims at its next try. Not Axon's {@code claimSegment}, which retries a claim
     * another replica holds and, once it gets it, ignores any later hand-back.
     */
    private void claimAgain(StreamingEventProcessor processor) {
        for (int segment : segmentsOf(processor)) {
            processor.releaseSegment(segment, -1, TimeUnit.MILLISECONDS); // a hand-back that ended a moment ago
        }
    }

    /** The processor's segments in the token store, and segment 0, which a processor with no token yet would claim first. */
    private Set<Integer> segmentsOf(StreamingEventProcessor processor) {
        Set<Integer> segments = new TreeSet<>(List.of(0));
        for (int segment : tokens.fetchSegments(processor.getName())) {
            segments.add(segment);
        }
        return segments;
    }

    private Optional<StreamingEventProcessor> streaming(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class);
    }
}
