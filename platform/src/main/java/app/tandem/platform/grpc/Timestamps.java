package app.tandem.platform.grpc;

import app.tandem.platform.domain.Validation;
import com.google.protobuf.Timestamp;

import java.time.Instant;

/** Between protobuf timestamps on the wire and instants in the domain. */
public final class Timestamps {

    private static final long MIN_SECONDS = -62135596800L;
    private static final long MAX_SECONDS = 253402300799L;

    private Timestamps() {
    }

    public static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** Within 0001-01-01 .. 9999-12-31 with valid nanos, as google.protobuf.Timestamp defines it. */
    public static boolean isValid(Timestamp timestamp) {
        return timestamp.getSeconds() >= MIN_SECONDS && timestamp.getSeconds() <= MAX_SECONDS
                && timestamp.getNanos() >= 0 && timestamp.getNanos() <= 999_999_999;
    }

    /**
     * An optional timestamp field of a request: {@code absent} when it was not given, refused with {@code field}
     * named when it lies outside protobuf's own range, before anything converts it.
     */
    public static Instant optional(boolean present, Timestamp timestamp, Instant absent, String field) {
        if (!present) {
            return absent;
        }
        new Validation().require(isValid(timestamp), field, "is not a valid time").orThrow();
        return toInstant(timestamp);
    }

    public static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
