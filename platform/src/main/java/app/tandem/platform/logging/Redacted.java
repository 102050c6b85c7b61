package app.tandem.platform.logging;

import com.mongodb.MongoException;
import io.grpc.Status;

/**
 * A failure as it may be logged: the classes of the exception and its causes, their codes where they have one, and
 * their stack traces, but none of their messages. Messages of outside systems quote what they were given (a duplicate
 * key, an address, a document), and logs must never carry a person's data.
 */
public final class Redacted extends RuntimeException {

    private Redacted(Throwable failure) {
        super(describe(failure), failure.getCause() == null || failure.getCause() == failure ? null : new Redacted(failure.getCause()),
                false, true);
        setStackTrace(failure.getStackTrace());
    }

    /** {@code failure} without its messages; log it as the exception of a log line. */
    public static Redacted of(Throwable failure) {
        return failure instanceof Redacted redacted ? redacted : new Redacted(failure);
    }

    /** The class of {@code failure} and its code, if it has one: what a stored error or a log argument may say. */
    public static String describe(Throwable failure) {
        String type = failure.getClass().getName();
        if (failure instanceof MongoException mongo) {
            return type + " (code " + mongo.getCode() + ")";
        }
        Status status = Status.fromThrowable(failure);
        return status.getCode() == Status.Code.UNKNOWN ? type : type + " (" + status.getCode() + ")";
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
