package app.tandem.platform.feed;

import app.tandem.platform.domain.InvalidInput;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open streams of one {@link NumberedFeed}: each streamed from a cursor and then live, capped per owner and per
 * instance. A waiting stream holds no thread: a few reader threads send for all of them, and timers make them look
 * again.
 */
public final class FeedStreams<M> implements AutoCloseable, MeterBinder {

    private final String name;
    private final NumberedFeed feed;
    /** How long a stream waits for a missing number before it marks the number unused and moves on. */
    private final Duration gapWait;
    private final int perOwner;
    private final int perInstance;
    private final ExecutorService readers;
    private final ScheduledThreadPoolExecutor timers;
    private final Set<FeedStream<M>> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> openByOwner = new ConcurrentHashMap<>();
    private final AtomicInteger openHere = new AtomicInteger();
    private volatile boolean stopping;

    /** @param name what the streams are of, in thread names and messages ("notification", "care") */
    public FeedStreams(String name, NumberedFeed feed, int perOwner, int perInstance, int readerThreads, Duration gapWait) {
        this.name = name;
        this.feed = feed;
        this.perOwner = perOwner;
        this.perInstance = perInstance;
        this.gapWait = gapWait;
        this.readers = Executors.newFixedThreadPool(readerThreads, daemon(name + "-stream-reader"));
        this.timers = new ScheduledThreadPoolExecutor(1, daemon(name + "-stream-timer"));
        // a stream re-arms its timer on every read: cancelled timers leave the queue at once
        timers.setRemoveOnCancelPolicy(true);
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Opens a stream of the owner's items after {@code cursor}, each sent as {@code delivery} makes it just before it
     * leaves (see {@link Delivery}). Must be called from the gRPC service method, as grpc-java requires of the handlers
     * it sets.
     *
     * @throws StatusRuntimeException RESOURCE_EXHAUSTED beyond a cap, UNAVAILABLE while stopping
     */
    public void open(String owner, long cursor, StreamObserver<M> observer, Delivery<M> delivery) {
        if (stopping) {
            throw new StatusRuntimeException(Status.UNAVAILABLE.withDescription("server shutting down, reconnect with your cursor"));
        }
        if (openHere.incrementAndGet() > perInstance) {
            openHere.decrementAndGet();
            throw new StatusRuntimeException(Status.RESOURCE_EXHAUSTED.withDescription(
                    "too many " + name + " streams are open here: try again shortly"));
        }
        if (openByOwner.merge(owner, 1, Integer::sum) > perOwner) {
            release(owner);
            throw new StatusRuntimeException(Status.RESOURCE_EXHAUSTED.withDescription(
                    "you have " + perOwner + " " + name + " streams open already: close one first"));
        }
        FeedStream<M> stream = new FeedStream<>(name, owner, cursor, feed, (ServerCallStreamObserver<M>) observer, delivery,
                readers, timers, gapWait, this::ended);
        open.add(stream);
        stream.open();
    }

    private void ended(FeedStream<M> stream) {
        if (open.remove(stream)) {
            release(stream.owner());
        }
    }

    private void release(String owner) {
        openByOwner.computeIfPresent(owner, (o, count) -> count == 1 ? null : count - 1);
        openHere.decrementAndGet();
    }

    /** A cursor a client sent back: a number this feed issued, 0 when empty; else INVALID_ARGUMENT naming {@code field}. */
    public static long parseCursor(String cursor, String field) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            long value = Long.parseLong(cursor);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidInput.of(field, "is not a cursor this service issued");
    }

    /** Streams open in this instance. */
    public int openStreams() {
        return openHere.get();
    }

    /** Streams open here and the cap on them, tagged with what they stream: near the cap, new ones are refused. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("tandem.streams.open", openHere, AtomicInteger::get).description("Streams open in this instance")
                .tag("stream", name).register(registry);
        Gauge.builder("tandem.streams.limit", () -> perInstance).description("Streams this instance accepts at most")
                .tag("stream", name).register(registry);
    }

    /** Ends every open stream with UNAVAILABLE, so its client reconnects elsewhere with its cursor, and stops the threads. */
    @Override
    public void close() {
        stopping = true;
        open.forEach(FeedStream::close);
        readers.shutdown();
        try {
            readers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            readers.shutdownNow();
            timers.shutdownNow();
        }
    }
}
