package app.tandem.platform.grpc;

import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.Conflict;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.InvalidInput.FieldViolation;
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

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns domain refusals into gRPC statuses. Anything unexpected becomes INTERNAL with a generic message:
 * a stack trace or a stored value never reaches a client.
 */
public class GrpcErrorMapping implements GrpcExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GrpcErrorMapping.class);
    static final int MOST_FIELDS_NAMED = 20;
    static final int MOST_TEXT = 1_000;
    private static final int LONGEST_PART = 200;

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

    /**
     * The refusal names every offending field, or, when there are more than a client's metadata holds (gRPC's
     * default is 8 KB for all headers and trailers, and the message goes twice, as text and in the details), the
     * first {@value #MOST_FIELDS_NAMED} within {@value #MOST_TEXT} characters and how many more there are: a safety
     * plan section with every item empty has hundreds, and a client that cannot read the trailers sees INTERNAL.
     */
    public static StatusException invalidArgument(InvalidInput invalid) {
        List<FieldViolation> named = new ArrayList<>();
        int text = 0;
        for (FieldViolation violation : invalid.violations()) {
            FieldViolation shortened = new FieldViolation(shortened(violation.field()), shortened(violation.description()));
            text += shortened.field().length() + shortened.description().length();
            if (named.size() == MOST_FIELDS_NAMED || text > MOST_TEXT) {
                break;
            }
            named.add(shortened);
        }
        int more = invalid.violations().size() - named.size();
        BadRequest.Builder badRequest = BadRequest.newBuilder();
        named.forEach(v -> badRequest.addFieldViolations(
                BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.description())));
        String message = named.stream().map(v -> v.field() + ": " + v.description()).collect(Collectors.joining("; "))
                + (more > 0 ? "; and " + more + " more" : "");
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(message)
                .addDetails(Any.pack(badRequest.build()))
                .build();
        return StatusProto.toStatusException(status);
    }

    private static String shortened(String text) {
        return text.length() <= LONGEST_PART ? text : text.substring(0, LONGEST_PART) + "...";
    }
}
