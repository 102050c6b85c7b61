package app.tandem.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;

/** The exit codes scripts rely on, one per kind of outcome (listed in {@code tandem --help}). */
final class ExitCodes {

    static final int DONE = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_ALLOWED = 3;
    static final int NOT_FOUND = 4;
    static final int TRY_LATER = 5;

    private ExitCodes() {
    }

    static int of(Status.Code code) {
        return switch (code) {
            case OK -> DONE;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> USAGE;
            case UNAUTHENTICATED, PERMISSION_DENIED -> NOT_ALLOWED;
            case NOT_FOUND -> NOT_FOUND;
            case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED -> TRY_LATER;
            default -> FAILED;
        };
    }

    /** A call the gateway or a service refused: its status and description, never a stack trace. */
    static int handle(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        if (failure instanceof StatusRuntimeException refused) {
            Status status = refused.getStatus();
            command.getErr().println("tandem: " + status.getCode()
                    + (status.getDescription() == null ? "" : ": " + status.getDescription()));
            return of(status.getCode());
        }
        if (failure instanceof CommandLine.ParameterException || failure instanceof IllegalArgumentException) {
            command.getErr().println("tandem: " + failure.getMessage());
            return USAGE;
        }
        command.getErr().println("tandem: " + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
        return FAILED;
    }
}
