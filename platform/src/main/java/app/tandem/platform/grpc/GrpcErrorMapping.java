package app.tandem.platform.grpc;

import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.Conflict;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.logging.Redacted;
import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;

/**
 * Turns domain refusals into gRPC statuses. Anything unexpected becomes INTERNAL with a generic message:
 * a stack trace or a stored value never reaches a client.
 */
public class GrpcErrorMapping implements GrpcExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GrpcErrorMapping.class);

    @Override
    public StatusException handleException(Throwable exception) {
        Throwable cause = unwrap(exception);
        if (cause instanceof StatusRuntimeException forwarded) {
            // a status from an internal call passes through unchanged, details included
            return new StatusException(forwarded.getStatus(), forwarded.getTrailers());
        }
        if (cause instanceof StatusException forwarded) {
            return forwarded;
        }
        if (cause instanceof InvalidInput invalid) {
            return invalidArgument(invalid);
        }
        if (cause instanceof AccessDenied) {
            return Status.PERMISSION_DENIED.withDescription(cause.getMessage()).asException();
        }
        if (cause instanceof NotFound || cause instanceof AggregateNotFoundException) {
            return Status.NOT_FOUND.withDescription(cause instanceof NotFound ? cause.getMessage() : "not found").asException();
        }
        if (cause instanceof RuleViolation) {
            return Status.FAILED_PRECONDITION.withDescription(cause.getMessage()).asException();
        }
        if (cause instanceof Conflict) {
            return Status.ABORTED.withDescription(cause.getMessage()).asException();
        }
        if (cause instanceof ConcurrencyException || cause instanceof AggregateStreamCreationException) {
            return Status.ABORTED.withDescription("changed concurrently, retry").asException();
        }
        log.error("unexpected failure", Redacted.of(exception));
        return Status.INTERNAL.withDescription("internal error").asException();
    }

    private static Throwable unwrap(Throwable exception) {
        Throwable current = exception;
        while ((current instanceof CommandExecutionException || current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    public static StatusException invalidArgument(InvalidInput invalid) {
        BadRequest.Builder badRequest = BadRequest.newBuilder();
        invalid.violations().forEach(v -> badRequest.addFieldViolations(
                BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.description())));
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(invalid.getMessage())
                .addDetails(Any.pack(badRequest.build()))
                .build();
        return StatusProto.toStatusException(status);
    }
}
