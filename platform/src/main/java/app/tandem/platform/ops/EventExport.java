package app.tandem.platform.ops;

import app.tandem.api.v1.ExportEventsRequest;
import app.tandem.api.v1.StoredEvent;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import app.tandem.platform.grpc.GrpcErrorMapping;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.stub.ServerCallStreamObserver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Streams a service's stored events to an operator exactly as they are stored, so what a person wrote (notes, tags)
 * stays encrypted under their key. Events are read a batch at a time and sent only as fast as the client takes them; a
 * pass over the store ends at the newest event stored when it began.
 */
final class EventExport {

    private static final int BATCH = 200;
    private static final int MAX_ID_LENGTH = 200;
    /** The longest period one export covers, so no single call hands over the whole store. */
    static final Duration LONGEST_PERIOD = Duration.ofDays(31);

    private final Optional<MongoEventStorageEngine> store;
    private final GrpcErrorMapping errors;
    /** The newest stored position, where a pass over the store ends. */
    private final LongSupplier headPosition;
    private final JsonMapper json = JsonMapper.builder().build();

    EventExport(Optional<MongoEventStorageEngine> store, LongSupplier headPosition, GrpcErrorMapping errors) {
        this.store = store;
        this.headPosition = headPosition;
        this.errors = errors;
    }

    /** Checks the request at once (a refusal sends nothing), then streams; a service without events ends at once. */
    void export(ExportEventsRequest request, ServerCallStreamObserver<StoredEvent> call) {
        Source source = source(request);
        ArrayDeque<MongoEventStorageEngine.Stored> ready = new ArrayDeque<>();
        call.setOnCancelHandler(() -> ready.clear());
        Runnable drain = () -> {
            try {
                while (call.isReady() && !call.isCancelled()) {
                    if (ready.isEmpty() && !source.next(ready)) {
                        call.onCompleted();
                        return;
                    }
                    if (!ready.isEmpty()) {
                        call.onNext(toProto(ready.poll()));
                    }
                }
            } catch (RuntimeException e) {
                call.onError(errors.handleException(e));
            }
        };
        call.setOnReadyHandler(drain);
        // the call may have been ready before the handler was set; both run on the call's own serial executor
        drain.run();
    }

    /** Where the events come from: one aggregate's in sequence, or the whole store's in position order, filtered. */
    private Source source(ExportEventsRequest request) {
        Validation validation = new Validation();
        Source source = switch (request.getSelectionCase()) {
            case AGGREGATE_ID -> {
                validation.requireText(request.getAggregateId(), "aggregate_id", MAX_ID_LENGTH);
                yield store.<Source>map(engine -> new OneAggregate(engine, request.getAggregateId())).orElse(Source.NOTHING);
            }
            case COUPLE_ID -> {
                validation.requireText(request.getCoupleId(), "couple_id", MAX_ID_LENGTH);
                yield scan(event -> event.aggregateId().equals(request.getCoupleId()) || namesCouple(event, request.getCoupleId()));
            }
            case PERIOD -> {
                new Validation().require(request.getPeriod().hasFrom(), "period.from", "is required")
                        .require(request.getPeriod().hasTo(), "period.to", "is required").orThrow();
                Instant from = Timestamps.optional(true, request.getPeriod().getFrom(), null, "period.from");
                Instant to = Timestamps.optional(true, request.getPeriod().getTo(), null, "period.to");
                validation.require(from.isBefore(to), "period.to", "is not after period.from")
                        .require(!to.isAfter(from.plus(LONGEST_PERIOD)), "period.to", "is more than 31 days after period.from");
                yield scan(event -> !event.timestamp().isBefore(from) && event.timestamp().isBefore(to));
            }
            case SELECTION_NOT_SET -> throw InvalidInput.of("couple_id", "name a couple_id, an aggregate_id or a period");
        };
        validation.orThrow();
        return source;
    }

    private Source scan(Predicate<MongoEventStorageEngine.Stored> wanted) {
        return store.<Source>map(engine -> new WholeStore(engine, wanted, headPosition.getAsLong())).orElse(Source.NOTHING);
    }

    /** Whether the payload's own {@code coupleId} is this couple: the journal's and the plans' events name their couple so. */
    private boolean namesCouple(MongoEventStorageEngine.Stored event, String coupleId) {
        try {
            return coupleId.equals(json.readTree(event.payload()).path("coupleId").asString(null));
        } catch (JacksonException notJson) {
            return false;
        }
    }

    private static StoredEvent toProto(MongoEventStorageEngine.Stored event) {
        StoredEvent.Builder proto = StoredEvent.newBuilder()
                .setPosition(event.position())
                .setEventId(event.eventId())
                .setType(event.payloadType())
                .setAggregateId(event.aggregateId())
                .setSequence(event.sequence())
                .setTime(Timestamps.of(event.timestamp()))
                .setMetadataJson(new String(event.metaData(), StandardCharsets.UTF_8))
                .setPayloadJson(new String(event.payload(), StandardCharsets.UTF_8));
        Optional.ofNullable(event.payloadRevision()).ifPresent(proto::setRevision);
        Optional.ofNullable(event.aggregateType()).ifPresent(proto::setAggregateType);
        return proto.build();
    }

    private interface Source {
        Source NOTHING = into -> false;

        /** Adds the next events to {@code into}, perhaps none; false once there are no more. */
        boolean next(ArrayDeque<MongoEventStorageEngine.Stored> into);
    }

    private static final class OneAggregate implements Source {
        private final MongoEventStorageEngine engine;
        private final String aggregateId;
        private long nextSequence;

        OneAggregate(MongoEventStorageEngine engine, String aggregateId) {
            this.engine = engine;
            this.aggregateId = aggregateId;
        }

        @Override
        public boolean next(ArrayDeque<MongoEventStorageEngine.Stored> into) {
            List<MongoEventStorageEngine.Stored> batch = engine.storedOf(aggregateId, nextSequence, BATCH);
            batch.forEach(into::add);
            if (!batch.isEmpty()) {
                nextSequence = batch.get(batch.size() - 1).sequence() + 1;
            }
            return !batch.isEmpty();
        }
    }

    private static final class WholeStore implements Source {
        private final MongoEventStorageEngine engine;
        private final Predicate<MongoEventStorageEngine.Stored> wanted;
        /** The newest position when the export began: it ends there rather than following new events for ever. */
        private final long until;
        private long lastPosition;

        WholeStore(MongoEventStorageEngine engine, Predicate<MongoEventStorageEngine.Stored> wanted, long until) {
            this.engine = engine;
            this.wanted = wanted;
            this.until = until;
        }

        @Override
        public boolean next(ArrayDeque<MongoEventStorageEngine.Stored> into) {
            if (lastPosition >= until) {
                return false;
            }
            List<MongoEventStorageEngine.Stored> batch = engine.storedAfter(lastPosition, BATCH).stream()
                    .filter(event -> event.position() <= until).toList();
            batch.stream().filter(wanted).forEach(into::add);
            if (!batch.isEmpty()) {
                lastPosition = batch.get(batch.size() - 1).position();
            }
            return !batch.isEmpty();
        }
    }
}
