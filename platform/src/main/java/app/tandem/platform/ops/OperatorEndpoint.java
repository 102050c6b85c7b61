package app.tandem.platform.ops;

import app.tandem.api.v1.ListAuditLogRequest;
import app.tandem.platform.kafka.IntegrationEventConsumer;
import app.tandem.platform.kafka.DeadLetters;
import app.tandem.platform.grpc.Unary;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.api.v1.ListDeadLettersResponse;
import app.tandem.api.v1.ListDeadLettersRequest;
import app.tandem.api.v1.DeadLetterRequest;
import app.tandem.api.v1.DeadLetter;
import app.tandem.api.v1.ListAuditLogResponse;
import app.tandem.api.v1.ListProcessorsRequest;
import app.tandem.api.v1.ListProcessorsResponse;
import app.tandem.api.v1.OperatorServiceGrpc;
import app.tandem.api.v1.ProcessorStatus;
import app.tandem.api.v1.ResetProcessorRequest;
import app.tandem.api.v1.ResetProcessorResponse;
import app.tandem.api.v1.SegmentStatus;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import app.tandem.platform.kafka.IntegrationEventRelay;
import app.tandem.api.v1.ExportEventsRequest;
import app.tandem.api.v1.StoredEvent;
import app.tandem.platform.axon.StoredPositions;
import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * For operators: each event processor, where it is and how far behind; rebuilding a read model by replay, without
 * re-sending anything; and the audit log of what operators did here.
 */
public class OperatorEndpoint implements OperatorServiceGrpc.AsyncService {

    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;

    /**
     * Who holds processor segments: {@code nodeId} is this instance's name in the token store, and a claim not written
     * for {@code claimTimeout} is free to take.
     */
    public record Claims(Optional<StoredPositions> stored, String nodeId, Duration claimTimeout) {

        /** Whether other instances hold every segment of {@code processor} now, so this one cannot reset it. */
        boolean allHeldElsewhere(String processor) {
            long now = System.currentTimeMillis();
            Collection<StoredPositions.StoredSegment> segments = stored.map(s -> s.segments(processor).values()).orElse(List.of());
            return !segments.isEmpty() && segments.stream().allMatch(segment -> segment.owner() != null
                    && !segment.owner().equals(nodeId) && now - segment.claimedAtMillis() < claimTimeout.toMillis());
        }
    }

    /** How soon to ask again for a reset another replica's claim refused: the next call may reach the holder. */
    private static final com.google.protobuf.Duration ASK_AGAIN = com.google.protobuf.Duration.newBuilder().setNanos(100_000_000).build();

    private final String serviceName;
    private final Optional<EventProcessingConfiguration> processing;
    private final ProcessorPositions positions;
    private final Claims claims;
    private final Optional<IntegrationEventRelay> relay;
    private final OperatorAudit audit;
    private final Optional<DeadLetters> deadLetters;
    private final Optional<IntegrationEventConsumer> consumer;
    private final EventExport export;
    /** Processors being stopped and reset here: a second reset meanwhile would start a second replay. */
    private final Set<String> resetting = ConcurrentHashMap.newKeySet();

    public OperatorEndpoint(String serviceName, Optional<EventProcessingConfiguration> processing, ProcessorPositions positions,
                            Claims claims, Optional<IntegrationEventRelay> relay, OperatorAudit audit, Optional<DeadLetters> deadLetters,
                            Optional<IntegrationEventConsumer> consumer, EventExport export) {
        this.claims = claims;
        this.export = export;
        this.deadLetters = deadLetters;
        this.consumer = consumer;
        this.serviceName = serviceName;
        this.processing = processing;
        this.positions = positions;
        this.relay = relay;
        this.audit = audit;
    }

    private void requireThisService(String named, Validation validation) {
        validation.require(serviceName.equals(named), "service", "names " + named + ", but this is " + serviceName).orThrow();
    }

    @Override
    public void resetProcessor(ResetProcessorRequest request, StreamObserver<ResetProcessorResponse> response) {
        requireThisService(request.getService(), new Validation().requireText(request.getName(), "name", 200));
        if (request.getName().equals(IntegrationEventRelay.PROCESSOR_NAME)) {
            throw new RuleViolation("the integration publisher never replays: consumers would receive every event again");
        }
        StreamingEventProcessor processor = processing.flatMap(p -> p.eventProcessor(request.getName(), StreamingEventProcessor.class))
                .orElseThrow(() -> new NotFound("no streaming event processor named " + request.getName()));
        if (!processor.supportsReset()) {
            throw new RuleViolation(request.getName() + " has handlers that cannot be reset");
        }
        if (processor.processingStatus().isEmpty() && claims.allHeldElsewhere(request.getName())) {
            // only the replica processing it can stop it for a reset; the gateway's next call goes to the next replica
            throw StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder().setCode(Code.UNAVAILABLE_VALUE)
                    .setMessage("another replica of " + serviceName + " processes " + request.getName() + "; ask again")
                    .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(ASK_AGAIN).build())).build());
        }
        if (!resetting.add(request.getName())) {
            throw new RuleViolation("a reset of " + request.getName() + " is under way");
        }
        try {
            // stopping a processor before it claimed its segments leaves it unable to start again (Axon 4.13)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (processor.isRunning() && processor.processingStatus().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            processor.shutdownAsync().get(60, TimeUnit.SECONDS);
            // from the first event; a processor that has seen nothing yet would otherwise be reset to no token at all
            processor.resetTokens(MongoEventStorageEngine.BEFORE_FIRST_EVENT);
            processor.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resetting " + request.getName(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not stop " + request.getName() + " for its reset", e);
        } finally {
            resetting.remove(request.getName());
        }
        response.onNext(ResetProcessorResponse.newBuilder().setReplayUntilPosition(positions.headPosition()).build());
        response.onCompleted();
    }


    @Override
    public void listProcessors(ListProcessorsRequest request, StreamObserver<ListProcessorsResponse> response) {
        requireThisService(request.getService(), new Validation());
        ProcessorPositions.Snapshot snapshot = positions.everywhere();
        ListProcessorsResponse.Builder result = ListProcessorsResponse.newBuilder().setHeadPosition(snapshot.headPosition());
        for (ProcessorPositions.Processor processor : snapshot.processors()) {
            ProcessorStatus.Builder status = ProcessorStatus.newBuilder().setName(processor.name()).setRunning(processor.running())
                    .setStreaming(processor.streaming());
            for (ProcessorPositions.Segment segment : processor.segments()) {
                status.addSegments(SegmentStatus.newBuilder()
                        .setSegmentId(segment.segment())
                        .setPosition(segment.position())
                        .setLag(segment.lag())
                        .setCaughtUp(segment.caughtUp())
                        .setReplaying(segment.replaying())
                        .setReplayUntilPosition(segment.replayUntilPosition())
                        .setError(segment.error()));
            }
            result.addProcessors(status);
        }
        response.onNext(result.build());
        response.onCompleted();
    }

    @Override
    public void exportEvents(ExportEventsRequest request, StreamObserver<StoredEvent> response) {
        requireThisService(request.getService(), new Validation());
        export.export(request, (ServerCallStreamObserver<StoredEvent>) response);
    }

    @Override
    public void listAuditLog(ListAuditLogRequest request, StreamObserver<ListAuditLogResponse> response) {
        requireThisService(request.getService(), new Validation().requireRange(request.getPageSize(), 0, MAX_PAGE_SIZE, "page_size"));
        int limit = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : request.getPageSize();
        response.onNext(audit.page(request.getPageToken(), limit));
        response.onCompleted();
    }

    @Override
    public void listDeadLetters(ListDeadLettersRequest request, StreamObserver<ListDeadLettersResponse> response) {
        requireThisService(request.getService(), new Validation().requireRange(request.getPageSize(), 0, MAX_PAGE_SIZE, "page_size"));
        int limit = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : request.getPageSize();
        int skip = skipOf(request.getPageToken());
        List<DeadLetters.DeadLetter> page = deadLetters.map(letters -> letters.page(skip, limit)).orElse(List.of());
        ListDeadLettersResponse.Builder result = ListDeadLettersResponse.newBuilder();
        page.forEach(letter -> result.addDeadLetters(toProto(letter)));
        if (page.size() == limit) {
            result.setNextPageToken(Integer.toString(skip + limit));
        }
        Unary.reply(response, result.build());
    }

    @Override
    public void retryDeadLetter(DeadLetterRequest request, StreamObserver<DeadLetter> response) {
        DeadLetters.DeadLetter found = deadLetter(request);
        if (found.state() != DeadLetters.State.WAITING) {
            throw new RuleViolation("this dead letter was " + found.state().name().toLowerCase(java.util.Locale.ROOT) + " already");
        }
        DeadLetters.DeadLetter letter = deadLetters.get().takeForRetry(found.id())
                .orElseThrow(() -> new RuleViolation("this dead letter is being retried or was settled meanwhile"));
        try {
            if (letter.kind() == DeadLetters.Kind.CONSUMED) {
                consumer.orElseThrow(() -> new RuleViolation("this service no longer reads " + letter.topic()))
                        .redeliver(letter.topic(), letter.value());
            } else {
                relay.orElseThrow(() -> new RuleViolation("this service no longer publishes")).republish(letter.position(), letter.eventId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying " + letter.id(), e);
        } catch (RuntimeException failedAgain) {
            deadLetters.get().retryFailed(letter.id(), failedAgain);
            throw new RuleViolation("it failed again: " + deadLetters.get().find(letter.id()).orElseThrow().error());
        }
        deadLetters.get().retried(letter.id());
        Unary.reply(response, toProto(deadLetters.get().find(letter.id()).orElseThrow()));
    }

    @Override
    public void discardDeadLetter(DeadLetterRequest request, StreamObserver<DeadLetter> response) {
        DeadLetters.DeadLetter letter = deadLetter(request);
        if (letter.state() == DeadLetters.State.WAITING && !deadLetters.get().discard(letter.id())) {
            throw new RuleViolation("this dead letter is being retried or was settled meanwhile");
        }
        Unary.reply(response, toProto(deadLetters.get().find(letter.id()).orElseThrow()));
    }

    private DeadLetters.DeadLetter deadLetter(DeadLetterRequest request) {
        requireThisService(request.getService(), new Validation().requireText(request.getDeadLetterId(), "dead_letter_id", 300));
        return deadLetters.flatMap(letters -> letters.find(request.getDeadLetterId()))
                .orElseThrow(() -> new NotFound("no dead letter " + request.getDeadLetterId()));
    }

    private static int skipOf(String pageToken) {
        if (pageToken.isEmpty()) {
            return 0;
        }
        try {
            int skip = Integer.parseInt(pageToken);
            if (skip >= 0) {
                return skip;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw InvalidInput.of("page_token", "is not a token this service issued");
    }

    private static DeadLetter toProto(DeadLetters.DeadLetter letter) {
        DeadLetter.Builder proto = DeadLetter.newBuilder()
                .setDeadLetterId(letter.id())
                .setKind(DeadLetter.Kind.valueOf(letter.kind().name()))
                .setPartition(letter.partition())
                .setOffset(letter.offset())
                .setPosition(letter.position())
                .setError(letter.error())
                .setFailedAt(Timestamps.of(letter.failedAt()))
                .setState(DeadLetter.State.valueOf(letter.state().name()))
                .setRetries(letter.retries());
        Optional.ofNullable(letter.topic()).ifPresent(proto::setTopic);
        Optional.ofNullable(letter.eventId()).ifPresent(proto::setEventId);
        Optional.ofNullable(letter.eventType()).ifPresent(proto::setEventType);
        return proto.build();
    }
}
