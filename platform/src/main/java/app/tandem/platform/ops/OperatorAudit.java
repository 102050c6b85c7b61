package app.tandem.platform.ops;

import app.tandem.api.v1.AuditRecord;
import app.tandem.api.v1.ListAuditLogResponse;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.grpc.GrpcErrorMapping;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.security.Caller;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The append-only log of what operators did to this service: each call is recorded before it runs (who, what,
 * when) and its outcome when it ends, as two inserts; nothing in it is ever updated or deleted.
 */
public class OperatorAudit implements ServerInterceptor {

    private static final String STARTED = "started";
    private static final String FINISHED = "finished";

    private final MongoCollection<Document> log;
    private final GrpcErrorMapping errors;
    private final Clock clock;

    public OperatorAudit(MongoDatabase database, GrpcErrorMapping errors, Clock clock) {
        this.errors = errors;
        this.log = database.getCollection("operator_audit");
        this.log.createIndex(Indexes.compoundIndex(Indexes.ascending("phase"), Indexes.descending("at"), Indexes.descending("requestId")));
        this.clock = clock;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Caller operator = Caller.current();
        String action = call.getMethodDescriptor().getBareMethodName();
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        ServerCall<Q, R> recorded = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                try {
                    finish(operator, finished, status);
                } finally {
                    super.close(status, trailers);
                }
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(recorded, headers)) {
            @Override
            public void onMessage(Q request) {
                if (started.compareAndSet(false, true)) {
                    started(operator, action, request instanceof Message message ? targetOf(message) : "");
                }
                super.onMessage(request);
            }

            @Override
            public void onHalfClose() {
                try {
                    super.onHalfClose();
                } catch (RuntimeException refused) {
                    // the error handler outside closes the call with the status this maps the refusal to
                    finish(operator, finished, errors.handleException(refused).getStatus());
                    throw refused;
                }
            }

            @Override
            public void onCancel() {
                finish(operator, finished, Status.CANCELLED);
                super.onCancel();
            }
        };
    }

    /** An outcome is recorded once, whichever way the call ends first. */
    private void finish(Caller operator, AtomicBoolean finished, Status status) {
        if (finished.compareAndSet(false, true)) {
            finished(operator, status);
        }
    }

    /** What the call names besides the service it went to: operator requests carry no personal data. */
    private static String targetOf(Message request) {
        Message.Builder target = request.toBuilder();
        FieldDescriptor service = request.getDescriptorForType().findFieldByName("service");
        if (service != null) {
            target.clearField(service);
        }
        return TextFormat.shortDebugString(target);
    }

    private void started(Caller operator, String action, String target) {
        log.insertOne(new Document("_id", operator.requestId() + "/" + STARTED)
                .append("phase", STARTED)
                .append("requestId", operator.requestId())
                .append("operator", operator.subject())
                .append("action", action)
                .append("target", target)
                .append("at", Date.from(clock.instant())));
    }

    private void finished(Caller operator, Status status) {
        log.insertOne(new Document("_id", operator.requestId() + "/" + FINISHED)
                .append("phase", FINISHED)
                .append("requestId", operator.requestId())
                .append("outcome", status.getCode().name())
                .append("at", Date.from(clock.instant())));
    }

    /** Newest first, after {@code pageToken} (the last record of the previous page). */
    ListAuditLogResponse page(String pageToken, int limit) {
        Bson filter = Filters.eq("phase", STARTED);
        if (!pageToken.isEmpty()) {
            Cursor after = Cursor.decode(pageToken);
            filter = Filters.and(filter, Filters.or(Filters.lt("at", Date.from(after.at())),
                    Filters.and(Filters.eq("at", Date.from(after.at())), Filters.lt("requestId", after.requestId()))));
        }
        List<Document> started = log.find(filter).sort(Sorts.descending("at", "requestId")).limit(limit).into(new ArrayList<>());
        Map<String, Document> finished = new HashMap<>();
        if (!started.isEmpty()) {
            log.find(Filters.in("_id", started.stream().map(d -> d.getString("requestId") + "/" + FINISHED).toList()))
                    .forEach(d -> finished.put(d.getString("requestId"), d));
        }
        ListAuditLogResponse.Builder response = ListAuditLogResponse.newBuilder();
        for (Document record : started) {
            AuditRecord.Builder entry = AuditRecord.newBuilder()
                    .setRequestId(record.getString("requestId"))
                    .setOperatorPersonId(record.getString("operator"))
                    .setAction(record.getString("action"))
                    .setTarget(record.getString("target"))
                    .setStartedAt(Timestamps.of(record.getDate("at").toInstant()));
            Document outcome = finished.get(record.getString("requestId"));
            if (outcome != null) {
                entry.setOutcome(outcome.getString("outcome")).setFinishedAt(Timestamps.of(outcome.getDate("at").toInstant()));
            }
            response.addRecords(entry);
        }
        if (started.size() == limit) {
            Document last = started.get(started.size() - 1);
            response.setNextPageToken(new Cursor(last.getDate("at").toInstant(), last.getString("requestId")).encode());
        }
        return response.build();
    }

    private record Cursor(Instant at, String requestId) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((at.toEpochMilli() + ":" + requestId).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                return new Cursor(Instant.ofEpochMilli(Long.parseLong(raw.substring(0, colon))), raw.substring(colon + 1));
            } catch (RuntimeException e) {
                throw InvalidInput.of("page_token", "is not a token this service issued");
            }
        }
    }
}
