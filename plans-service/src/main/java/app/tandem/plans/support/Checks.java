package app.tandem.plans.support;

import com.google.protobuf.Timestamp;

import java.util.UUID;

/** Small predicates the edge validates requests with, so every violated field can be reported at once. */
public final class Checks {

    /** 0001-01-01 .. 9999-12-31, as google.protobuf.Timestamp defines its range. */
    private static final long MIN_SECONDS = -62135596800L;
    private static final long MAX_SECONDS = 253402300799L;

    private Checks() {
    }

    public static boolean isUuid(String value) {
        try {
            return value != null && UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static String uuidProblem(String value) {
        return value == null || value.isEmpty() ? "is required" : "must be a UUID";
    }

    public static boolean isValid(Timestamp timestamp) {
        return timestamp.getSeconds() >= MIN_SECONDS && timestamp.getSeconds() <= MAX_SECONDS
                && timestamp.getNanos() >= 0 && timestamp.getNanos() <= 999_999_999;
    }
}
