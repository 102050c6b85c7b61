package app.tandem.platform.feed;

import app.tandem.platform.logging.Redacted;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.bson.Document;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open stream of an owner's items. It holds no thread while it waits: an append, a timer or the client's
 * readiness marks it due, and one of the few reader threads of its {@link FeedStreams} then reads the next run and
 * sends what the client can take. Reads of one stream never overlap, so the call is only ever touched by one thread
 * at a time.
 */
final class FeedStream<M> {

    private static final Logger log = LoggerFactory.getLogger(FeedStream.class);

    private static final int PAGE = 100;
    private static final int PAGES_PER_TURN = 4;
    /**
     * Appends wake a stream (see {@link NumberedFeed#watch}); a stream also looks on its own this often, so nothing can
     * leave it waiting for good.
     */
    static final Duration LOOK_ANYWAY = Duration.ofSeconds(30);

    private final String name;
    private final String owner;
    private final NumberedFeed feed;
    private final ServerCallStreamObserver<M> call;
    private final Delivery<M> delivery;
    private final Executor readers;
    private final ScheduledExecutorService timers;
    private final Duration gapWait;
    private final Consumer<FeedStream<M>> onEnd;
    private final Runnable woken = () -> due(true);
    /** Turns asked for and not yet taken: only the ask that takes it from zero queues a turn. */
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    /**
     * Read but not yet sent because the client could not take more. Each becomes a message only as it is sent, so
     * what may no longer be sent by then is not.
     */
    private final Queue<Document> unsent = new ArrayDeque<>();
    private volatile boolean due = true;
    /** Whether the latest reason to read was an append, whose wake says how far to look. */
    private volatile boolean byAppend;
    private volatile boolean closing;
    private long sent;
    private long missing;
    private long missingSince;
    private volatile ScheduledFuture<?> timer;

    FeedStream(String name, String owner, long cursor, NumberedFeed feed, ServerCallStreamObserver<M> call,
               Delivery<M> delivery, Executor readers, ScheduledExecutorService timers,
               Duration gapWait, Consumer<FeedStream<M>> onEnd) {
        this.name = name;
        this.owner = owner;
        this.sent = cursor;
        this.feed = feed;
        this.call = call;
        this.delivery = delivery;
        this.readers = readers;
        this.timers = timers;
        this.gapWait = gapWait;
        this.onEnd = onEnd;
    }

    String owner() {
        return owner;
    }

    /** Called while the service method runs, as grpc-java requires of these handlers. */
    void open() {
        call.setOnCancelHandler(this::end);
        call.setOnReadyHandler(this::pumpSoon);
        feed.watch(owner, woken);
        pumpSoon();
    }

    /** Ends the stream with UNAVAILABLE, from its own reader thread, so the client reconnects with its cursor. */
    void close() {
        closing = true;
        pumpSoon();
    }

    private void due(boolean append) {
        byAppend = append;
        due = true;
        pumpSoon();
    }

    private void pumpSoon() {
        if (asked.getAndIncrement() == 0) {
            takeATurn();
        }
    }

    private void takeATurn() {
        try {
            readers.execute(this::turn);
        } catch (RejectedExecutionException stopping) {
            // no turn is running or queued for this stream, so nothing else touches the call now
            fail("server shutting down, reconnect with your cursor");
        }
    }

    /**
     * One turn on a reader thread: a stream with much to send gives the thread up after a few pages and queues again,
     * so one client reading a long backlog does not keep the others waiting.
     */
    private void turn() {
        int seen = asked.get();
        if (pump()) {
            asked.incrementAndGet();
        }
        if (asked.addAndGet(-seen) != 0) {
            takeATurn();
        }
    }

    /** @return whether it stopped with more to read, to let other streams have a turn */
    private boolean pump() {
        if (ended.get()) {
            return false;
        }
        try {
            if (closing) {
                fail("server shutting down, reconnect with your cursor");
                return false;
            }
            for (int pages = 0; !call.isCancelled(); pages++) {
                while (!unsent.isEmpty() && call.isReady()) {
                    delivery.toMessage(unsent.poll()).ifPresent(call::onNext);
                }
                if (!unsent.isEmpty() || !due) {
                    return false; // the client's readiness, an append or the timer asks again
                }
                if (pages == PAGES_PER_TURN) {
                    return true;
                }
                due = false;
                read();
            }
            end();
        } catch (RuntimeException e) {
            log.warn("a {} stream failed", name, Redacted.of(e));
            fail("stream interrupted, reconnect with your cursor");
        }
        return false;
    }

    private void read() {
        boolean append = byAppend;
        byAppend = false;
        // an append's wake says how far to look; the first read and one after a timer ask the owner's counter
        NumberedFeed.Run run = append ? feed.afterLatestKnown(owner, sent, PAGE) : feed.after(owner, sent, PAGE);
        if (!run.items().isEmpty()) {
            delivery.read(run.items());
        }
        unsent.addAll(run.items());
        boolean fullPage = run.through() - sent == PAGE;
        sent = run.through();
        if (run.missing() > 0) {
            // a higher number is stored first: wait for the lower one, which is usually being stored right now; one
            // that never comes (its append crashed) is marked unused after the wait
            if (run.missing() != missing) {
                missing = run.missing();
                missingSince = System.nanoTime();
            }
            long left = gapWait.toNanos() - (System.nanoTime() - missingSince);
            if (left > 0) {
                lookAgainIn(left);
            } else {
                byAppend = feed.markUnused(owner, missing);
                due = true;
            }
        } else if (fullPage) {
            byAppend = append;
            due = true;
        } else {
            lookAgainIn(LOOK_ANYWAY.toNanos());
        }
    }

    private void lookAgainIn(long nanos) {
        if (timer != null) {
            timer.cancel(false);
        }
        timer = timers.schedule(() -> due(false), nanos, TimeUnit.NANOSECONDS);
        if (ended.get()) {
            timer.cancel(false); // the client cancelled during the read
        }
    }

    private void fail(String reason) {
        try {
            if (!call.isCancelled()) {
                call.onError(Status.UNAVAILABLE.withDescription(reason).asException());
            }
        } catch (RuntimeException closedAlready) {
            // grpc-java closed the call itself after a failed write
        } finally {
            end();
        }
    }

    /** Leaves no trace of the stream: no wake-up, no timer, no slot. */
    private void end() {
        if (ended.compareAndSet(false, true)) {
            feed.unwatch(owner, woken);
            ScheduledFuture<?> pending = timer;
            if (pending != null) {
                pending.cancel(false);
            }
            onEnd.accept(this);
        }
    }
}
