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
import app.tandem.platform.axon.StoredPositions;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.security.Caller;
import app.tandem.api.v1.ProcessorReset;
import app.tandem.platform.kafka.IntegrationEventRelay;
import app.tandem.api.v1.ExportEventsRequest;
import app.tandem.api.v1.StoredEvent;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * For operators: each event processor, where it is and how far behind; rebuilding a read model by replay, without
 * re-sending anything; and the audit log of what operators did here.
 */
public class OperatorEndpoint implements OperatorServiceGrpc.AsyncService {

    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;

    private final String serviceName;
    private final Optional<EventProcessingConfiguration> processing;
    private final ProcessorPositions positions;
    private final Optional<IntegrationEventRelay> relay;
    private final OperatorAudit audit;
    private final Optional<DeadLetters> deadLetters;
    private final Optional<IntegrationEventConsumer> consumer;
    private final EventExport export;
    private final Optional<ProcessorResets> resets;

    public OperatorEndpoint(String serviceName, Optional<EventProcessingConfiguration> processing, ProcessorPositions positions,
                            Optional<ProcessorResets> resets, Optional<IntegrationEventRelay> relay, OperatorAudit audit, Optional<DeadLetters> deadLetters,
                            Optional<IntegrationEventConsumer> consumer, EventExport export) {
        this.export = export;
        this.resets = resets;
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
        Validation validation = new Validation().requireText(request.getName(), "name", 200);
        requireThisService(request.getService(), validation);
        Requests.requireIdempotencyKey(request.getIdempotencyKey(), "idempotency_key");
        if (request.getName().equals(IntegrationEventRelay.PROCESSOR_NAME)) {
            throw new RuleViolation("the integration publisher never replays: consumers would receive every event again");
        }
        StreamingEventProcessor processor = processing.flatMap(p -> p.eventProcessor(request.getName(), StreamingEventProcessor.class))
                .filter(p -> resets.isPresent())
                .orElseThrow(() -> new NotFound("no streaming event processor named " + request.getName()));
        if (!processor.supportsReset()) {
            throw new RuleViolation(request.getName() + " has handlers that cannot be reset");
        }
        String resetId = Requests.deterministicId("processor-reset/" + request.getName(), Caller.current().subject(),
                request.getIdempotencyKey());
        long until;
        try {
            until = resets.get().reset(processor, resetId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resetting " + request.getName(), e);
        }
        Unary.reply(response, ResetProcessorResponse.newBuilder().setReplayUntilPosition(until).build());
    }

    /** Every processor of this replica; a streaming one with all its segments, whichever replica holds each. */
    @Override
    public void listProcessors(ListProcessorsRequest request, StreamObserver<ListProcessorsResponse> response) {
        requireThisService(request.getService(), new Validation());
        ProcessorPositions.Snapshot snapshot = positions.snapshot();
        ListProcessorsResponse.Builder result = ListProcessorsResponse.newBuilder().setHeadPosition(snapshot.headPosition());
        for (ProcessorPositions.Processor processor : snapshot.processors()) {
            ProcessorStatus.Builder status = ProcessorStatus.newBuilder().setName(processor.name()).setRunning(processor.running())
                    .setStreaming(processor.streaming());
            Map<Integer, SegmentStatus> segments = new TreeMap<>();
            if (processor.streaming()) {
                resets.ifPresent(r -> {
                    r.segments(processor.name()).forEach(stored -> segments.put(stored.segment(), held(stored, snapshot.headPosition())));
                    r.latest(processor.name()).ifPresent(reset -> status.setLastReset(toProto(reset)));
                });
            }
            String here = resets.map(ProcessorResets::replicaId).orElse("");
            for (ProcessorPositions.Segment segment : processor.segments()) {
                segments.put(segment.segment(), SegmentStatus.newBuilder()
                        .setSegmentId(segment.segment())
                        .setPosition(segment.position())
                        .setLag(segment.lag())
                        .setCaughtUp(segment.caughtUp())
                        .setReplaying(segment.replaying())
                        .setReplayUntilPosition(segment.replayUntilPosition())
                        .setError(segment.error())
                        .setClaimedBy(here)
                        .build());
            }
            status.addAllSegments(segments.values());
            result.addProcessors(status);
        }
        Unary.reply(response, result.build());
    }

    /** A segment as the token store has it: held by another replica or by none; its position lags the holder's a little. */
    private static SegmentStatus held(StoredPositions.StoredSegment stored, long head) {
        return SegmentStatus.newBuilder()
                .setSegmentId(stored.segment())
                .setPosition(stored.position())
                .setLag(Math.max(0, head - stored.position()))
                .setCaughtUp(stored.position() >= head)
                .setReplaying(stored.replaying())
                .setReplayUntilPosition(stored.replayUntilPosition())
                .setClaimedBy(stored.claimedBy() == null ? "" : stored.claimedBy())
                .build();
    }

    private static ProcessorReset toProto(ProcessorResets.Reset reset) {
        ProcessorReset.Builder proto = ProcessorReset.newBuilder()
                .setState(ProcessorReset.State.valueOf(reset.stateAt(Instant.now()).name()))
                .setRequestedAt(Timestamps.of(reset.requestedAt()))
                .setReplayUntilPosition(reset.replayUntilPosition());
        Optional.ofNullable(reset.finishedAt()).ifPresent(at -> proto.setFinishedAt(Timestamps.of(at)));
        return proto.build();
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
