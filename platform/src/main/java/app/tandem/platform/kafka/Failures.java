package app.tandem.platform.kafka;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Which failures pass by themselves: a database, broker or service asked for a fact out of reach (or out of time) is
 * waited for as long as it takes; anything else is tried a bounded number of times and then set aside as a dead letter.
 */
public final class Failures {

    private Failures() {
    }

    public static boolean passBySelf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof MongoSocketException || cause instanceof MongoTimeoutException
                    || cause instanceof MongoNotPrimaryException || cause instanceof MongoNodeIsRecoveringException
                    || cause instanceof MongoConnectionPoolClearedException || cause instanceof MongoExecutionTimeoutException
                    || cause instanceof MongoWriteConcernException || cause instanceof RetriableException) {
                return true;
            }
            if (cause instanceof StatusRuntimeException call && (call.getStatus().getCode() == Status.Code.UNAVAILABLE
                    || call.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED)) {
                return true;
            }
            // the labels MongoDB puts on what a retry can succeed at (a primary stepping down, a shutdown in progress)
            if (cause instanceof MongoException mongo && (mongo.hasErrorLabel("RetryableWriteError")
                    || mongo.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL))) {
                return true;
            }
        }
        return false;
    }

    /** A record no attempt can handle: no value, not an envelope, or a payload of no known type. */
    public static final class UnreadableRecord extends RuntimeException {
        public UnreadableRecord(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A handler's answer that an event can never have its effect, however often it is tried. */
    public static class RejectedEvent extends RuntimeException {
        public RejectedEvent(String reason) {
            super(reason);
        }
    }
}
