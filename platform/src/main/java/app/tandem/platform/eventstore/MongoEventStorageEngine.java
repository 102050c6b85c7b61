package app.tandem.platform.eventstore;

import app.tandem.platform.mongo.FormerIndexes;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.serialization.SerializedMetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Binary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;

/**
 * An Axon event storage engine on the MongoDB driver that never lets a tracking processor skip an event.
 *
 * <p>Every event is stored with a global position as its {@code _id}, and tracking reads ask for ranges of
 * positions. A position is taken by inserting it under the unique primary key. Each process hands out positions
 * after the highest one it knows and moves past positions another process took first. Within a process,
 * concurrent appends are committed together (one insertMany per group); across processes inserts run in
 * parallel, so a later position can become visible before an earlier one: a reader remembers the missing one as
 * a gap in its {@link GapAwareTrackingToken} and keeps asking for it. A gap is given up only after it stayed open
 * for {@code gapTimeout} as measured by the reader's own monotonic clock, so writers' wall clocks, however
 * skewed, never decide what is skipped.
 *
 * <p>Per-aggregate sequence numbers are kept unique by a unique index on (aggregate id, sequence): a concurrent
 * append to the same aggregate fails cleanly and Axon reports it as a concurrency conflict. The same index reads an
 * aggregate's events, so loading it costs its own events, not the store's.
 */
public class MongoEventStorageEngine extends BatchingEventStorageEngine {

    public static final String EVENTS = "domain_events";
    /**
     * The place before the first event (positions start at 1): reading after it reads everything, as no token does,
     * and unlike no token it can be stored over an existing one (axon-mongo's token store cannot update to none).
     */
    public static final TrackingToken BEFORE_FIRST_EVENT = GapAwareTrackingToken.newInstance(0, List.of());
    public static final String SNAPSHOTS = "snapshot_events";
    public static final String PAGES = "event_pages";

    /** Documents per group commit, so one insertMany stays well inside a server's message size. */
    private static final int MAX_GROUP_COMMIT = 500;
    private static final long FOLLOWER_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final String POSITION = "_id";
    private static final String AGGREGATE_ID = "aggregateIdentifier";
    private static final String SEQUENCE = "sequenceNumber";
    /** How far past a page's last position compaction looks for a later event, which tells a gap from the head. */
    private static final int LOOK_AHEAD = 256;
    private static final String AGGREGATE_TYPE = "type";
    private static final String EVENT_ID = "eventIdentifier";
    private static final String TIMESTAMP = "timestamp";
    private static final String PAYLOAD_TYPE = "payloadType";
    private static final String PAYLOAD_REVISION = "payloadRevision";
    private static final String PAYLOAD = "payload";
    private static final String META_DATA = "metaData";

    private final MongoCollection<Document> events;
    private final MongoCollection<Document> snapshots;
    private final MongoCollection<Document> pages;
    private final int pageSize;
    private final Object positionLock = new Object();
    /** Appends waiting for the next group commit, and the lock whose holder commits them. */
    private final ConcurrentLinkedQueue<Append> pendingAppends = new ConcurrentLinkedQueue<>();
    private final ReentrantLock commitLock = new ReentrantLock();
    /** The next free position as far as this process knows; guarded by {@link #positionLock}. */
    private long nextPosition;
    private final Duration gapTimeout;
    private final int maxGapOffset;
    private final LongSupplier nanoClock;
    /**
     * When a reader in this JVM first saw each open gap, by the monotonic clock. Shared by all processors:
     * an unfilled position is a fact about the store, not about one reader.
     */
    private final Map<Long, Long> gapFirstSeenNanos = new ConcurrentHashMap<>();
    /** When compaction first found each page incomplete; guarded by {@link #compactionLock}. */
    private final Map<Long, Long> pageIncompleteSinceNanos = new HashMap<>();
    private final Object compactionLock = new Object();
    private long nextPageToCompact = -1;
    private final ScheduledExecutorService compaction;

    protected MongoEventStorageEngine(Builder builder) {
        super(builder);
        MongoDatabase database = builder.database;
        this.events = database.getCollection(EVENTS);
        this.snapshots = database.getCollection(SNAPSHOTS);
        this.pages = database.getCollection(PAGES);
        this.pageSize = builder.pageSize;
        this.gapTimeout = builder.gapTimeout;
        this.maxGapOffset = builder.maxGapOffset;
        this.nanoClock = builder.nanoClock;
        this.highestPositionRecheckNanos = builder.highestPositionRecheck.toNanos();
        ensureIndexes();
        this.nextPosition = highestPosition() + 1;
        if (builder.compactionInterval.isZero()) {
            this.compaction = null;
        } else {
            this.compaction = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "event-page-compaction");
                thread.setDaemon(true);
                return thread;
            });
            long interval = builder.compactionInterval.toMillis();
            compaction.scheduleWithFixedDelay(this::compactQuietly, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops background compaction. */
    public void shutDown() {
        if (compaction != null) {
            compaction.shutdownNow();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private void ensureIndexes() {
        events.createIndex(Indexes.ascending(AGGREGATE_ID, SEQUENCE), new IndexOptions().unique(true).name(AGGREGATE_INDEX));
        // Event identifiers need no index of their own: a domain event's (aggregate, sequence) is unique, and any
        // other event is stored under its identifier as aggregate with sequence 0.
        FormerIndexes.drop(events, FORMER_INDEXES);
    }

    private static final String AGGREGATE_INDEX = "aggregate_sequence";
    /** Indexes of earlier versions: one on an "aggregate id/sequence" text field no longer written, one on event ids. */
    private static final Set<String> FORMER_INDEXES = Set.of("aggregate_key", "event_identifier");

    // ---- appending

    /** What one caller appends: committed together with whatever other callers of this process append meanwhile. */
    private static final class Append {
        final Thread caller = Thread.currentThread();
        List<Document> documents;
        RuntimeException failure;
        volatile boolean done;

        Append(List<Document> documents) {
            this.documents = documents;
        }

        void finish() {
            done = true;
            LockSupport.unpark(caller);
        }
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> eventMessages, Serializer serializer) {
        if (eventMessages.isEmpty()) {
            return;
        }
        List<Document> documents = new ArrayList<>(eventMessages.size());
        for (EventMessage<?> event : eventMessages) {
            documents.add(toDocument(event, serializer));
        }
        Append append = new Append(documents);
        pendingAppends.add(append);
        while (!append.done) {
            if (commitLock.tryLock()) {
                try {
                    // the leader commits what is waiting, its own append included, then hands over
                    while (!append.done) {
                        commitPending();
                    }
                } finally {
                    commitLock.unlock();
                }
                Append waiting = pendingAppends.peek();
                if (waiting != null) {
                    LockSupport.unpark(waiting.caller);
                }
            } else {
                // a follower sleeps until the leader has committed its append, or may lead the next group
                LockSupport.parkNanos(this, FOLLOWER_PARK_NANOS);
            }
        }
        if (append.failure != null) {
            handlePersistenceException(append.failure, eventMessages.get(0));
        }
    }

    /**
     * Group commit: whoever holds the commit lock inserts every append waiting in this process with one ordered
     * insertMany, so concurrent commands share a round trip and a commit on the server. Appends wholly before a
     * rejected document are stored; the one it belongs to fails (a conflict on its first event, the usual case,
     * stores nothing of it) unless another process merely took its position first, in which case it is retried
     * on fresh positions; the ones after it are inserted again. Unused positions are gaps readers wait for until
     * the gap timeout.
     */
    private void commitPending() {
        List<Append> batch = new ArrayList<>();
        int size = 0;
        Append next;
        while ((batch.isEmpty() || size < MAX_GROUP_COMMIT) && (next = pendingAppends.poll()) != null) {
            batch.add(next);
            size += next.documents.size();
        }
        int from = 0;
        boolean freshPositions = true;
        boolean afterCollision = false;
        for (int attempt = 0; from < batch.size(); attempt++) {
            List<Append> remaining = batch.subList(from, batch.size());
            List<Document> documents = new ArrayList<>();
            remaining.forEach(a -> documents.addAll(a.documents));
            if (freshPositions) {
                takePositions(documents, afterCollision);
            }
            try {
                events.insertMany(documents, new InsertManyOptions().ordered(true));
                remaining.forEach(Append::finish);
                return;
            } catch (MongoBulkWriteException e) {
                int failedIndex = e.getWriteErrors().isEmpty() ? 0 : e.getWriteErrors().get(0).getIndex();
                int offset = 0;
                int index = from;
                while (offset + batch.get(index).documents.size() <= failedIndex) {
                    offset += batch.get(index).documents.size();
                    batch.get(index++).finish();
                }
                Append failing = batch.get(index);
                // its documents before the rejected one are stored
                failing.documents = new ArrayList<>(failing.documents.subList(failedIndex - offset, failing.documents.size()));
                if (takenByAnotherWriter(documents.get(failedIndex)) && attempt < 1000) {
                    from = index;
                    freshPositions = true;
                    afterCollision = true;
                } else {
                    // the aggregate moved on, or the event is stored already
                    failing.failure = e;
                    failing.finish();
                    from = index + 1;
                    freshPositions = false; // the appends after it keep their unused positions
                }
            } catch (RuntimeException e) {
                remaining.forEach(a -> {
                    a.failure = e;
                    a.finish();
                });
                return;
            }
        }
    }

    /**
     * Reserves consecutive positions for the documents in this process. Other processes insert in parallel, so
     * a reader may see a later position before an earlier one; its gap-aware token waits for the earlier one.
     * After another process took a position, the next free one is read from the store again.
     */
    private void takePositions(List<Document> documents, boolean afterConflict) {
        synchronized (positionLock) {
            if (afterConflict) {
                nextPosition = Math.max(nextPosition, highestPosition() + 1);
            }
            for (Document document : documents) {
                document.put(POSITION, nextPosition++);
            }
        }
    }

    /** Whether an insert failed because its position was taken, rather than its aggregate sequence or event id. */
    private boolean takenByAnotherWriter(Document rejected) {
        Document atPosition = events.find(eq(POSITION, rejected.get(POSITION))).projection(new Document(EVENT_ID, 1)).first();
        // (aggregate, sequence) also stands for the event identifier of events that belong to no aggregate
        return atPosition != null && !rejected.getString(EVENT_ID).equals(atPosition.getString(EVENT_ID))
                && events.find(and(eq(AGGREGATE_ID, rejected.getString(AGGREGATE_ID)), eq(SEQUENCE, rejected.get(SEQUENCE))))
                .projection(new Document(POSITION, 1)).first() == null;
    }

    private static final long SNAPSHOT_CHECK_NANOS = TimeUnit.MINUTES.toNanos(1);
    private volatile boolean snapshotsExist;
    private volatile Long snapshotsCheckedAtNanos;

    private final long highestPositionRecheckNanos;
    private volatile long cachedHighest = -1;
    private volatile long cachedHighestAtNanos;

    /**
     * The highest stored position, read at most once per {@link Builder#highestPositionRecheck}: a reader at the head
     * needs it only to know that asking the store for more would find nothing.
     */
    private long recentHighestPosition() {
        long now = System.nanoTime();
        long reserved;
        synchronized (positionLock) {
            reserved = nextPosition - 1;
        }
        if (cachedHighest < 0 || now - cachedHighestAtNanos >= highestPositionRecheckNanos) {
            cachedHighest = highestPosition();
            cachedHighestAtNanos = now;
        }
        return Math.max(cachedHighest, reserved);
    }

    private long highestPosition() {
        Document last = events.find().sort(Sorts.descending(POSITION)).limit(1).projection(new Document(POSITION, 1)).first();
        return last == null ? 0 : last.get(POSITION, Number.class).longValue();
    }

    private Document toDocument(EventMessage<?> event, Serializer serializer) {
        SerializedObject<byte[]> payload = event.serializePayload(serializer, byte[].class);
        SerializedObject<byte[]> metaData = event.serializeMetaData(serializer, byte[].class);
        Document document = new Document(POSITION, null)
                .append(EVENT_ID, event.getIdentifier())
                .append(TIMESTAMP, event.getTimestamp().toEpochMilli())
                .append(PAYLOAD_TYPE, payload.getType().getName())
                .append(PAYLOAD_REVISION, payload.getType().getRevision())
                .append(PAYLOAD, new Binary(payload.getData()))
                .append(META_DATA, new Binary(metaData.getData()));
        if (event instanceof DomainEventMessage<?> domainEvent && domainEvent.getAggregateIdentifier() != null) {
            document.append(AGGREGATE_TYPE, domainEvent.getType())
                    .append(AGGREGATE_ID, domainEvent.getAggregateIdentifier())
                    .append(SEQUENCE, domainEvent.getSequenceNumber());
        } else {
            // non-aggregate events still need a unique (aggregate, sequence) pair for the unique index
            document.append(AGGREGATE_TYPE, null)
                    .append(AGGREGATE_ID, event.getIdentifier())
                    .append(SEQUENCE, 0L);
        }
        return document;
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        Document document = toDocument(snapshot, serializer);
        document.put(POSITION, snapshot.getAggregateIdentifier());
        // one snapshot per aggregate; a newer one replaces an older one, never the reverse
        Document existing = snapshots.find(eq(POSITION, snapshot.getAggregateIdentifier())).first();
        if (existing == null || existing.get(SEQUENCE, Number.class).longValue() < snapshot.getSequenceNumber()) {
            snapshots.replaceOne(eq(POSITION, snapshot.getAggregateIdentifier()), document, new ReplaceOptions().upsert(true));
        }
        snapshotsExist = true;
    }

    // ---- reading one aggregate

    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier, long firstSequenceNumber, int batchSize) {
        List<DomainEventData<?>> result = new ArrayList<>();
        for (Document document : aggregateEvents(aggregateIdentifier, firstSequenceNumber, batchSize)) {
            result.add(toEventData(document));
        }
        return result;
    }

    /** Up to {@code limit} of an aggregate's events from sequence {@code first} on, in order. */
    private List<Document> aggregateEvents(String aggregateIdentifier, long first, int limit) {
        return events.find(and(eq(AGGREGATE_ID, aggregateIdentifier), gte(SEQUENCE, first)))
                .sort(Sorts.ascending(SEQUENCE)).limit(limit).into(new ArrayList<>());
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        if (!snapshotsMayExist()) {
            return Stream.empty();
        }
        Document document = snapshots.find(eq(POSITION, aggregateIdentifier)).first();
        return document == null ? Stream.empty() : Stream.of(toEventData(document));
    }

    /**
     * Whether the store holds any snapshot, asked again at most once a minute while it holds none. Until a snapshot
     * exists, loading an aggregate costs no query for one; an aggregate loaded from all its events meanwhile is the
     * same aggregate, so a snapshot stored by another process is only used a little later.
     */
    private boolean snapshotsMayExist() {
        if (snapshotsExist) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (snapshotsCheckedAtNanos == null || now - snapshotsCheckedAtNanos >= SNAPSHOT_CHECK_NANOS) {
            snapshotsExist = snapshots.find().projection(new Document(POSITION, 1)).first() != null;
            snapshotsCheckedAtNanos = now;
        }
        return snapshotsExist;
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        Document last = events.find(eq(AGGREGATE_ID, aggregateIdentifier)).sort(Sorts.descending(SEQUENCE)).limit(1)
                .projection(new Document(SEQUENCE, 1)).first();
        return last == null ? Optional.empty() : Optional.of(last.get(SEQUENCE, Number.class).longValue());
    }

    // ---- pages: settled history packed for fast tracking reads

    private void compactQuietly() {
        try {
            compactSettledPages();
        } catch (RuntimeException e) {
            // the next run tries again; readers fall back to the single events meanwhile
        }
    }

    /**
     * Copies every settled run of {@code pageSize} positions into one page document. A tracking read of
     * history then costs one document per page instead of one per event; the single events stay, for
     * aggregates and for readers at the head. A page is settled when all its positions are stored, or when
     * its missing positions stayed missing for the gap timeout, after which readers give them up as well.
     * Pages are written whole and idempotently, so processes compacting the same page agree.
     *
     * @return how many pages were written
     */
    public int compactSettledPages() {
        synchronized (compactionLock) {
            if (nextPageToCompact < 0) {
                Document last = pages.find().sort(Sorts.descending(POSITION)).limit(1).projection(new Document(POSITION, 1)).first();
                nextPageToCompact = last == null ? 0 : last.get(POSITION, Number.class).longValue() + 1;
            }
            int written = 0;
            while (storedFrom(lastPositionOf(nextPageToCompact))) {
                long page = nextPageToCompact;
                List<Document> content = positions(firstPositionOf(page), pageSize);
                if (content.size() < pageSize) {
                    long now = nanoClock.getAsLong();
                    long since = pageIncompleteSinceNanos.computeIfAbsent(page, p -> now);
                    if (now - since < gapTimeout.toNanos()) {
                        return written;
                    }
                }
                pages.replaceOne(eq(POSITION, page), new Document(POSITION, page).append("events", content), new ReplaceOptions().upsert(true));
                pageIncompleteSinceNanos.remove(page);
                nextPageToCompact++;
                written++;
            }
            return written;
        }
    }

    /** Whether an event is stored at {@code position} or shortly after it: the page before is complete or settling. */
    private boolean storedFrom(long position) {
        return events.find(positionsIn(position, position + LOOK_AHEAD))
                .projection(new Document(POSITION, 1)).first() != null;
    }

    /** Positions {@code [from, to)}. */
    private static Bson positionsIn(long from, long to) {
        return and(gte(POSITION, from), lt(POSITION, to));
    }

    /** The events stored at positions {@code [start, start + count)}, in position order. */
    private List<Document> positions(long start, int count) {
        return events.find(positionsIn(start, start + count)).sort(Sorts.ascending(POSITION))
                .into(new ArrayList<>(count));
    }

    private long firstPositionOf(long page) {
        return page * pageSize + 1;
    }

    private long lastPositionOf(long page) {
        return (page + 1) * pageSize;
    }

    /** Up to {@code limit} stored events from {@code start} on, in position order, from pages where there are any. */
    private List<Document> readFrom(long start, int limit) {
        List<Document> found = new ArrayList<>(limit);
        long next = start;
        long highest = recentHighestPosition();
        if (start > highest) {
            // nothing is stored there yet as far as this process knows: a reader that has just read everything
            // asks again at once (Axon's event producer does after every read that found something); events of
            // other processes are seen once the highest position is looked up again
            return found;
        }
        while (found.size() < limit) {
            long page = (next - 1) / pageSize;
            // a page only packs positions that are all stored: a reader at the head asks for none
            Document packed = lastPositionOf(page) > highest ? null : pages.find(eq(POSITION, page)).first();
            if (packed == null) {
                found.addAll(readAtHead(next, limit - found.size()));
                break;
            }
            for (Document event : packed.getList("events", Document.class)) {
                if (event.get(POSITION, Number.class).longValue() >= next && found.size() < limit) {
                    found.add(event);
                }
            }
            next = lastPositionOf(page) + 1;
        }
        return found;
    }

    /**
     * Up to {@code limit} events from {@code start} on that are not in pages yet, in position order. Positions not
     * stored yet between them are in-flight inserts or gaps, which the token remembers.
     */
    private List<Document> readAtHead(long start, int limit) {
        return events.find(gte(POSITION, start)).sort(Sorts.ascending(POSITION)).limit(limit).into(new ArrayList<>(limit));
    }

    // ---- exporting

    /** An event exactly as stored, for operators' exports: its payload and metadata are the stored bytes. */
    public record Stored(long position, String eventId, String payloadType, String payloadRevision, String aggregateType,
                         String aggregateId, long sequence, Instant timestamp, byte[] metaData, byte[] payload) {
    }

    /** Up to {@code limit} stored events after {@code position}, in position order, read as tracking processors read them. */
    public List<Stored> storedAfter(long position, int limit) {
        return readFrom(position + 1, limit).stream().map(MongoEventStorageEngine::stored).toList();
    }

    /** Up to {@code limit} of an aggregate's stored events from sequence {@code first} on, in order. */
    public List<Stored> storedOf(String aggregateIdentifier, long first, int limit) {
        return aggregateEvents(aggregateIdentifier, first, limit).stream().map(MongoEventStorageEngine::stored).toList();
    }

    private static Stored stored(Document document) {
        return new Stored(document.get(POSITION, Number.class).longValue(), document.getString(EVENT_ID),
                document.getString(PAYLOAD_TYPE), document.getString(PAYLOAD_REVISION), document.getString(AGGREGATE_TYPE),
                document.getString(AGGREGATE_ID), document.get(SEQUENCE, Number.class).longValue(),
                Instant.ofEpochMilli(document.get(TIMESTAMP, Number.class).longValue()),
                document.get(META_DATA, Binary.class).getData(), document.get(PAYLOAD, Binary.class).getData());
    }

    // ---- tracking

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        GapAwareTrackingToken previous = (GapAwareTrackingToken) lastToken;
        List<Document> found = new ArrayList<>();
        if (previous != null && previous.hasGaps()) {
            events.find(in(POSITION, previous.getGaps())).into(found);
        }
        found.addAll(readFrom(previous == null ? 1 : previous.getIndex() + 1, batchSize));
        found.sort(Comparator.comparingLong(d -> d.get(POSITION, Number.class).longValue()));

        List<TrackedEventData<?>> result = new ArrayList<>(found.size());
        GapAwareTrackingToken token = previous;
        for (Document document : found) {
            long position = document.get(POSITION, Number.class).longValue();
            token = token == null
                    ? GapAwareTrackingToken.newInstance(position,
                            LongStream.range(Math.max(1, position - maxGapOffset), position).boxed().toList())
                    : token.advanceTo(position, maxGapOffset);
            result.add(new TrackedDomainEventData<>(token, toEventData(document)));
        }
        if (!result.isEmpty()) {
            // only the token carried by the last event is stored; expire the gaps it still holds
            GapAwareTrackingToken last = (GapAwareTrackingToken) result.get(result.size() - 1).trackingToken();
            GapAwareTrackingToken pruned = withoutExpiredGaps(last);
            if (pruned != last) {
                TrackedEventData<?> lastData = result.remove(result.size() - 1);
                result.add(new TrackedDomainEventData<>(pruned, (DomainEventData<?>) lastData));
            }
        } else if (previous != null && previous.hasGaps()) {
            // nothing new: still age the gaps so a later event carries a pruned token
            withoutExpiredGaps(previous);
        }
        return result;
    }

    /** Drops gaps this reader has been waiting on for longer than the gap timeout. */
    private GapAwareTrackingToken withoutExpiredGaps(GapAwareTrackingToken token) {
        if (!token.hasGaps()) {
            return token;
        }
        long now = nanoClock.getAsLong();
        SortedSet<Long> kept = new TreeSet<>();
        for (Long gap : token.getGaps()) {
            long firstSeen = gapFirstSeenNanos.computeIfAbsent(gap, g -> now);
            if (now - firstSeen < gapTimeout.toNanos()) {
                kept.add(gap);
            }
        }
        if (gapFirstSeenNanos.size() > maxGapOffset) {
            // forget long-expired gaps; a reader still holding one only starts waiting on it again
            gapFirstSeenNanos.values().removeIf(firstSeen -> now - firstSeen > 2 * gapTimeout.toNanos());
        }
        return kept.size() == token.getGaps().size() ? token : new GapAwareTrackingToken(token.getIndex(), kept);
    }

    @Override
    public TrackingToken createTailToken() {
        return null;
    }

    /** Which of {@code positions} hold a stored event: the others are writes still under way, or never to be. */
    public Set<Long> storedAmong(java.util.Collection<Long> positions) {
        Set<Long> stored = new java.util.HashSet<>();
        events.find(Filters.in(POSITION, positions)).projection(new Document(POSITION, 1))
                .forEach(document -> stored.add(document.get(POSITION, Number.class).longValue()));
        return stored;
    }

    @Override
    public TrackingToken createHeadToken() {
        Document last = events.find().sort(Sorts.descending(POSITION)).limit(1).first();
        return last == null ? null : GapAwareTrackingToken.newInstance(last.get(POSITION, Number.class).longValue(), List.of());
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        // timestamps come from writers' clocks, so this is a best-effort position, as in every Axon engine
        long millis = dateTime.toEpochMilli();
        for (Document document : events.find().sort(Sorts.ascending(POSITION))) {
            if (document.get(TIMESTAMP, Number.class).longValue() >= millis) {
                long position = document.get(POSITION, Number.class).longValue();
                return position <= 1 ? null : GapAwareTrackingToken.newInstance(position - 1, List.of());
            }
        }
        return createHeadToken();
    }

    private DomainEventData<byte[]> toEventData(Document document) {
        return new StoredEvent(
                document.getString(AGGREGATE_TYPE),
                document.getString(AGGREGATE_ID),
                document.get(SEQUENCE, Number.class).longValue(),
                document.getString(EVENT_ID),
                Instant.ofEpochMilli(document.get(TIMESTAMP, Number.class).longValue()),
                new SimpleSerializedObject<>(document.get(PAYLOAD, Binary.class).getData(), byte[].class,
                        document.getString(PAYLOAD_TYPE), document.getString(PAYLOAD_REVISION)),
                new SerializedMetaData<>(document.get(META_DATA, Binary.class).getData(), byte[].class));
    }

    /**
     * An event as read from the store. Axon's own entry keeps its timestamp as text, formatting it when an event is
     * read and parsing it again when it is handled: an eighth of a replay's time.
     */
    private record StoredEvent(String type, String aggregateIdentifier, long sequenceNumber, String eventIdentifier,
                               Instant timestamp, SerializedObject<byte[]> payload, SerializedObject<byte[]> metaData)
            implements DomainEventData<byte[]> {
        @Override
        public String getType() {
            return type;
        }

        @Override
        public String getAggregateIdentifier() {
            return aggregateIdentifier;
        }

        @Override
        public long getSequenceNumber() {
            return sequenceNumber;
        }

        @Override
        public String getEventIdentifier() {
            return eventIdentifier;
        }

        @Override
        public Instant getTimestamp() {
            return timestamp;
        }

        @Override
        public SerializedObject<byte[]> getMetaData() {
            return metaData;
        }

        @Override
        public SerializedObject<byte[]> getPayload() {
            return payload;
        }
    }

    /** Recognises MongoDB's duplicate key errors so Axon can report them as concurrency conflicts. */
    static final class DuplicateKeyResolver implements PersistenceExceptionResolver {
        @Override
        public boolean isDuplicateKeyViolation(Exception exception) {
            if (exception instanceof MongoBulkWriteException bulk) {
                return bulk.getWriteErrors().stream().anyMatch(e -> ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY);
            }
            return exception instanceof MongoWriteException write && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
        }
    }

    public static class Builder extends BatchingEventStorageEngine.Builder {
        private MongoDatabase database;
        private Duration gapTimeout = Duration.ofSeconds(60);
        private int maxGapOffset = 10_000;
        private LongSupplier nanoClock = System::nanoTime;
        private int pageSize = 1000;
        private Duration compactionInterval = Duration.ofSeconds(1);
        private Duration highestPositionRecheck = Duration.ofMillis(250);

        Builder() {
            persistenceExceptionResolver(new DuplicateKeyResolver());
        }

        public Builder database(MongoDatabase database) {
            this.database = database;
            return this;
        }

        /** How long a reader waits for a reserved position to commit before it gives the gap up. */
        public Builder gapTimeout(Duration gapTimeout) {
            this.gapTimeout = gapTimeout;
            return this;
        }

        public Builder maxGapOffset(int maxGapOffset) {
            this.maxGapOffset = maxGapOffset;
            return this;
        }

        /** How many positions one page of settled history holds. */
        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        /** How often settled history is packed into pages; zero leaves it to {@link #compactSettledPages()}. */
        public Builder compactionInterval(Duration compactionInterval) {
            this.compactionInterval = compactionInterval;
            return this;
        }

        /**
         * How long the highest stored position is trusted before it is read again: a reader at the head sees events
         * another process stored no sooner.
         */
        public Builder highestPositionRecheck(Duration highestPositionRecheck) {
            this.highestPositionRecheck = highestPositionRecheck;
            return this;
        }

        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = nanoClock;
            return this;
        }

        @Override
        public Builder snapshotSerializer(Serializer snapshotSerializer) {
            super.snapshotSerializer(snapshotSerializer);
            return this;
        }

        @Override
        public Builder eventSerializer(Serializer eventSerializer) {
            super.eventSerializer(eventSerializer);
            return this;
        }

        @Override
        public Builder upcasterChain(org.axonframework.serialization.upcasting.event.EventUpcaster upcasterChain) {
            super.upcasterChain(upcasterChain);
            return this;
        }

        @Override
        public Builder batchSize(int batchSize) {
            super.batchSize(batchSize);
            return this;
        }

        public MongoEventStorageEngine build() {
            if (database == null) {
                throw new IllegalStateException("a MongoDatabase is required");
            }
            return new MongoEventStorageEngine(this);
        }
    }
}
