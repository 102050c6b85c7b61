package app.tandem.platform.axon;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToRetrieveIdentifierException;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.Serializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Writes a processor's token at most once per interval while the processor moves forward, instead of once per
 * batch. Axon's tracking processor stores its token after every batch and extends its claim before each one; a
 * processor that keeps up handles batches of one or two events, so those writes were the most frequent command
 * a service sent to MongoDB. Here a token that only moves forward is kept, and the newest one written when the
 * interval has passed; a claim written within a fifth of its timeout is not extended again.
 *
 * <p>What this changes after a crash: a processor resumes from a token up to one interval old, so it handles those
 * events again. Every handler in Tandem is idempotent (upserts keyed by the event, commands that ignore a repeat,
 * consumers that drop a repeated integration event), so an event still has its effect once. Anything that is not
 * a plain step forward (a reset, a replay's tokens, a first token) is written at once, and claiming or releasing a
 * segment writes a waiting token first, so the store never goes back in time.
 */
public final class CoalescingTokenStore implements TokenStore, AutoCloseable {

    private final TokenStore delegate;
    private final long intervalNanos;
    private final long claimRefreshNanos;
    private final ScheduledExecutorService writer;
    private final Map<Key, SegmentState> segments = new ConcurrentHashMap<>();

    private record Key(String processor, int segment) {
    }

    /** What this process last wrote for one segment, and the token waiting to be written. Guarded by itself. */
    private static final class SegmentState {
        long writtenAtNanos;
        boolean written;
        TrackingToken last;
        /** A step forward not written yet; never null while one waits, since only non-null tokens move forward. */
        TrackingToken waiting;
        boolean writeScheduled;
        /** A deferred write that failed, reported to the processor on its next call for the segment. */
        RuntimeException failure;
    }

    /**
     * @param interval     the longest a forward step of a token waits to be written
     * @param claimTimeout the delegate's claim timeout: a claim written within a fifth of it is not extended again
     */
    public CoalescingTokenStore(TokenStore delegate, Duration interval, Duration claimTimeout) {
        this.delegate = delegate;
        this.intervalNanos = interval.toNanos();
        this.claimRefreshNanos = claimTimeout.toNanos() / 5;
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "token-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) throws UnableToClaimTokenException {
        Key key = new Key(processorName, segment);
        SegmentState state = state(key);
        synchronized (state) {
            reportFailure(state);
            long now = System.nanoTime();
            boolean forward = state.written && movesForward(token, state.last);
            if (!forward || (state.waiting == null && now - state.writtenAtNanos >= intervalNanos)) {
                state.waiting = null;
                write(state, token, key);
                return;
            }
            state.waiting = token;
            if (!state.writeScheduled) {
                long delay = Math.max(0, state.writtenAtNanos + intervalNanos - now);
                try {
                    writer.schedule(() -> writeWaiting(key), delay, TimeUnit.NANOSECONDS);
                    state.writeScheduled = true;
                } catch (RejectedExecutionException closed) {
                    flush(state, key); // the store is closing: nothing waits any more
                }
            }
        }
    }

    @Override
    public void extendClaim(String processorName, int segment) throws UnableToClaimTokenException {
        Key key = new Key(processorName, segment);
        SegmentState state = state(key);
        synchronized (state) {
            reportFailure(state);
            if (state.written && System.nanoTime() - state.writtenAtNanos < claimRefreshNanos) {
                return;
            }
            if (state.waiting != null) {
                flush(state, key); // writing the token extends the claim too
                return;
            }
            delegate.extendClaim(processorName, segment);
            state.written = true;
            state.writtenAtNanos = System.nanoTime();
        }
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) throws UnableToClaimTokenException {
        return claimed(new Key(processorName, segment), () -> delegate.fetchToken(processorName, segment));
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) throws UnableToClaimTokenException {
        return claimed(new Key(processorName, segment.getSegmentId()), () -> delegate.fetchToken(processorName, segment));
    }

    private TrackingToken claimed(Key key, Supplier<TrackingToken> fetch) {
        SegmentState state = state(key);
        synchronized (state) {
            flushQuietly(state, key);
            TrackingToken token = fetch.get();
            state.last = token;
            state.written = true; // claiming wrote the claim
            state.writtenAtNanos = System.nanoTime();
            return token;
        }
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        Key key = new Key(processorName, segment);
        SegmentState state = state(key);
        synchronized (state) {
            flushQuietly(state, key);
            delegate.releaseClaim(processorName, segment);
            forget(state);
        }
    }

    @Override
    public void deleteToken(String processorName, int segment) throws UnableToClaimTokenException {
        Key key = new Key(processorName, segment);
        SegmentState state = state(key);
        synchronized (state) {
            state.waiting = null;
            delegate.deleteToken(processorName, segment);
            forget(state);
        }
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment) throws UnableToClaimTokenException {
        delegate.initializeSegment(token, processorName, segment);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount) throws UnableToClaimTokenException {
        delegate.initializeTokenSegments(processorName, segmentCount);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken)
            throws UnableToClaimTokenException {
        delegate.initializeTokenSegments(processorName, segmentCount, initialToken);
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return delegate.requiresExplicitSegmentInitialization();
    }

    @Override
    public int[] fetchSegments(String processorName) {
        return delegate.fetchSegments(processorName);
    }

    @Override
    public List<Segment> fetchAvailableSegments(String processorName) {
        return delegate.fetchAvailableSegments(processorName);
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() throws UnableToRetrieveIdentifierException {
        return delegate.retrieveStorageIdentifier();
    }

    /** Writes every waiting token; a service calls this as it stops, after its processors released their claims. */
    @Override
    public void close() {
        writer.shutdownNow();
        for (Map.Entry<Key, SegmentState> entry : new ArrayList<>(segments.entrySet())) {
            synchronized (entry.getValue()) {
                flushQuietly(entry.getValue(), entry.getKey());
            }
        }
    }

    /**
     * Tokens and claims in MongoDB, claimed under {@code replicaId} so several replicas of one service share segments,
     * and written through a store of this kind.
     */
    public static CoalescingTokenStore inMongo(MongoTemplate template, Serializer serializer, Duration interval, Duration claimTimeout,
                                               String replicaId) {
        MongoTokenStore tokens = MongoTokenStore.builder()
                .mongoTemplate(template)
                .serializer(serializer)
                .nodeId(replicaId)
                .claimTimeout(claimTimeout)
                .build();
        return new CoalescingTokenStore(tokens, interval, claimTimeout);
    }

    private SegmentState state(Key key) {
        return segments.computeIfAbsent(key, k -> new SegmentState());
    }

    private void writeWaiting(Key key) {
        SegmentState state = state(key);
        synchronized (state) {
            state.writeScheduled = false;
            try {
                flush(state, key);
            } catch (RuntimeException e) {
                state.failure = e;
            }
        }
    }

    private void flush(SegmentState state, Key key) {
        if (state.waiting != null) {
            TrackingToken token = state.waiting;
            state.waiting = null;
            write(state, token, key);
        }
    }

    /** Before a claim changes hands the newest token is written if it still can be; a lost claim is not an error here. */
    private void flushQuietly(SegmentState state, Key key) {
        try {
            flush(state, key);
        } catch (UnableToClaimTokenException lost) {
            // another process owns the segment now and goes on from the token it finds
        }
        state.failure = null;
    }

    private void write(SegmentState state, TrackingToken token, Key key) {
        delegate.storeToken(token, key.processor(), key.segment());
        state.last = token;
        state.written = true;
        state.writtenAtNanos = System.nanoTime();
    }

    /**
     * A step of regular processing past the last token. Tokens of a replay (wrapped tokens) are written as they come:
     * a replay's batches are large, and its tokens are not comparable across its start and end.
     */
    private static boolean movesForward(TrackingToken token, TrackingToken last) {
        return token != null && last != null && !(token instanceof WrappedToken) && !(last instanceof WrappedToken)
                && token.getClass() == last.getClass() && token.covers(last);
    }

    private static void reportFailure(SegmentState state) {
        RuntimeException failure = state.failure;
        if (failure != null) {
            state.failure = null;
            throw failure;
        }
    }

    private static void forget(SegmentState state) {
        state.written = false;
        state.last = null;
        state.failure = null;
    }
}
