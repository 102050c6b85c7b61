package app.tandem.platform.eventstore;

import org.axonframework.common.AxonConfigurationException;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.AbstractEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.lifecycle.Lifecycle;
import org.axonframework.lifecycle.Phase;
import org.axonframework.monitoring.MessageMonitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The service's event store: events are appended through the storage engine, and tracking processors that are at the
 * head share one reader of it. That reader keeps the latest events in a ring, from which every processor at the head
 * takes them without a query of its own; a processor further behind reads the store itself until it has caught up.
 *
 * <p>Axon's embedded event store does the same with a linked list of its latest events. Once one of them had lived
 * long enough to be promoted to the old generation (it does in any quiet moment), each dropped event still linked the
 * next one, so every later event was kept by a dead one through young collections, copied again and again and
 * promoted in turn: under load, most of what the collector copied. A slot of the ring refers to one event only, and
 * an event the ring no longer holds is garbage.
 */
public final class TailingEventStore extends AbstractEventStore implements Lifecycle {

    private final int capacity;
    private final long fetchDelayNanos;
    /** The latest events; event {@code i} is at {@code i % capacity}. Guarded by {@link #lock}, as is what follows. */
    private final TrackedEventMessage<?>[] ring;
    /** The token before each event of the ring: a reader whose last token this is continues with that event. */
    private final TrackingToken[] before;
    /** The index of the newest event in the ring, -1 before the first. */
    private long newest = -1;
    /** The first index a reader may start from: events before it are from before the shared reader last paused. */
    private long firstValid;
    /** The shared reader's position: the token of the newest event, or where it starts from. */
    private TrackingToken head;
    private boolean headKnown;
    /** Readers taking events from the ring; the shared reader reads the store only while there are any. */
    private int tailing;
    private boolean fetchRequested;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the shared reader appended events: readers of the ring wait here. */
    private final Condition appended = lock.newCondition();
    /** Signalled when this process stored events: readers reading the store themselves wait here. */
    private final Condition stored = lock.newCondition();
    /** Signalled when the shared reader has work: a reader joined, or events were stored. */
    private final Condition wanted = lock.newCondition();
    private volatile boolean closed;
    private Thread reader;

    private TailingEventStore(Builder builder) {
        super(builder);
        this.capacity = builder.cachedEvents;
        this.fetchDelayNanos = builder.fetchDelay.toNanos();
        this.ring = new TrackedEventMessage<?>[capacity];
        this.before = new TrackingToken[capacity];
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        lock.lock();
        try {
            fetchRequested = true;
            wanted.signal();
            stored.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        return new Reader(trackingToken);
    }

    @Override
    public void registerLifecycleHandlers(LifecycleRegistry lifecycle) {
        lifecycle.onShutdown(Phase.INBOUND_EVENT_CONNECTORS - 10, this::shutDown);
    }

    /** Stops the shared reader; open streams answer that nothing is available from then on. */
    public void shutDown() {
        Thread running;
        lock.lock();
        try {
            closed = true;
            wanted.signalAll();
            appended.signalAll();
            stored.signalAll();
            running = reader;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            try {
                running.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int slot(long index) {
        return (int) (index % capacity);
    }

    /** The shared reader: reads what follows {@link #head} while readers take from the ring, and appends it. */
    private void readForTheRing() {
        boolean foundEvents = false;
        while (true) {
            TrackingToken from;
            lock.lock();
            try {
                while (!closed && tailing == 0) {
                    wanted.awaitUninterruptibly();
                }
                if (!closed && !foundEvents && !fetchRequested) {
                    // events of other processes are only found by looking
                    wanted.awaitNanos(fetchDelayNanos);
                }
                if (closed) {
                    return;
                }
                fetchRequested = false;
                from = head;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            List<TrackedEventMessage<?>> read = new ArrayList<>();
            try (Stream<? extends TrackedEventMessage<?>> events = storageEngine().readEvents(from, false)) {
                events.limit(capacity).forEach(read::add);
            } catch (RuntimeException e) {
                // the store is unreachable: the readers wait, and the next round tries again
                read.clear();
            }
            foundEvents = !read.isEmpty();
            if (foundEvents) {
                append(from, read);
            }
        }
    }

    private void append(TrackingToken from, List<TrackedEventMessage<?>> events) {
        lock.lock();
        try {
            if (!Objects.equals(from, head)) {
                return; // the ring was started afresh meanwhile
            }
            for (TrackedEventMessage<?> event : events) {
                newest++;
                ring[slot(newest)] = event;
                before[slot(newest)] = head;
                head = event.trackingToken();
            }
            appended.signalAll();
            stored.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One tracking processor's stream. Not shared between threads, as Axon's are not. */
    private final class Reader implements TrackingEventStream {
        private TrackingToken lastToken;
        /** The index of the next event in the ring while reading from it, -1 while reading the store. */
        private long next = -1;
        private Stream<? extends TrackedEventMessage<?>> ownStream;
        private Iterator<? extends TrackedEventMessage<?>> ownEvents;
        private TrackedEventMessage<?> peeked;

        Reader(TrackingToken from) {
            this.lastToken = from;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            try {
                return hasNextAvailable(0, TimeUnit.MILLISECONDS) ? Optional.of(peeked) : Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (peeked == null) {
                peeked = take(System.nanoTime() + unit.toNanos(timeout));
            }
            return peeked != null;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            while (peeked == null && !closed) {
                peeked = take(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
            }
            if (peeked == null) {
                throw new IllegalStateException("the event store is shut down");
            }
            TrackedEventMessage<?> event = peeked;
            peeked = null;
            lastToken = event.trackingToken();
            if (next >= 0) {
                next++;
            }
            return event;
        }

        /** The next event, without moving past it; null if none came before {@code deadline}. */
        private TrackedEventMessage<?> take(long deadline) throws InterruptedException {
            while (!closed) {
                if (next >= 0) {
                    lock.lock();
                    try {
                        if (next < Math.max(firstValid, newest - capacity + 1)) {
                            stopTailing(); // the ring moved on without it: it reads the store until it caught up
                            continue;
                        }
                        if (next <= newest) {
                            return ring[slot(next)];
                        }
                        if (!awaitUntil(appended, deadline)) {
                            return null;
                        }
                    } finally {
                        lock.unlock();
                    }
                    continue;
                }
                if (ownEvents == null) {
                    ownStream = storageEngine().readEvents(lastToken, false);
                    ownEvents = ownStream.iterator();
                }
                if (ownEvents.hasNext()) {
                    return ownEvents.next();
                }
                closeOwnStream();
                lock.lock();
                try {
                    if (!joinRing() && !awaitUntil(stored, deadline)) {
                        return null;
                    }
                } finally {
                    lock.unlock();
                }
            }
            return null;
        }

        /** Holds the lock; false when the deadline has passed without waiting. */
        private boolean awaitUntil(Condition condition, long deadline) throws InterruptedException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            condition.awaitNanos(left);
            return true;
        }

        /** Holds the lock. Continues from the ring if it holds what follows {@link #lastToken}. */
        private boolean joinRing() {
            if (headKnown && Objects.equals(head, lastToken)) {
                next = newest + 1;
            } else if (!headKnown || !inRing()) {
                if (headKnown && tailing > 0) {
                    return false; // others read a ring that does not reach back this far
                }
                // nobody reads the ring: it starts afresh where this reader is
                head = lastToken;
                headKnown = true;
                firstValid = newest + 1;
                next = newest + 1;
            }
            tailing++;
            ensureSharedReader();
            wanted.signal();
            return true;
        }

        /** Holds the lock; sets {@link #next} when the ring holds what follows {@link #lastToken}. */
        private boolean inRing() {
            for (long i = Math.max(firstValid, newest - capacity + 1); i <= newest; i++) {
                if (Objects.equals(before[slot(i)], lastToken)) {
                    next = i;
                    return true;
                }
            }
            return false;
        }

        private void stopTailing() {
            next = -1;
            tailing--;
        }

        private void closeOwnStream() {
            if (ownStream != null) {
                ownStream.close();
            }
            ownStream = null;
            ownEvents = null;
        }

        @Override
        public void close() {
            closeOwnStream();
            lock.lock();
            try {
                if (next >= 0) {
                    stopTailing();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Holds the lock. */
    private void ensureSharedReader() {
        if (reader == null && !closed) {
            reader = new Thread(this::readForTheRing, "event-store-head");
            reader.setDaemon(true);
            reader.start();
        }
    }

    public static final class Builder extends AbstractEventStore.Builder {
        private int cachedEvents = 1_000;
        private Duration fetchDelay = Duration.ofSeconds(1);

        @Override
        public Builder storageEngine(EventStorageEngine storageEngine) {
            super.storageEngine(storageEngine);
            return this;
        }

        @Override
        public Builder messageMonitor(MessageMonitor<? super EventMessage<?>> messageMonitor) {
            super.messageMonitor(messageMonitor);
            return this;
        }

        @Override
        public Builder spanFactory(EventBusSpanFactory spanFactory) {
            super.spanFactory(spanFactory);
            return this;
        }

        /** How many of the latest events the ring holds for processors at the head. */
        public Builder cachedEvents(int cachedEvents) {
            if (cachedEvents < 1) {
                throw new AxonConfigurationException("the ring holds at least one event");
            }
            this.cachedEvents = cachedEvents;
            return this;
        }

        /** How often the shared reader looks for events other processes stored, when none were stored here. */
        public Builder fetchDelay(Duration fetchDelay) {
            this.fetchDelay = fetchDelay;
            return this;
        }

        public TailingEventStore build() {
            validate();
            return new TailingEventStore(this);
        }
    }
}
