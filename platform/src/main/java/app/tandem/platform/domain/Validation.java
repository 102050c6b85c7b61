package app.tandem.platform.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Collects every field violation of a request so the caller learns all of them at once. */
public final class Validation {

    private final List<InvalidInput.FieldViolation> violations = new ArrayList<>();

    public Validation require(boolean valid, String field, String description) {
        if (!valid) {
            violations.add(new InvalidInput.FieldViolation(field, description));
        }
        return this;
    }

    public Validation requireText(String value, String field, int maxLength) {
        if (value == null || value.isBlank()) {
            return require(false, field, "is required");
        }
        return require(value.length() <= maxLength, field, "must be at most " + maxLength + " characters");
    }

    /** A canonical UUID, as every identifier Tandem hands out is. */
    public Validation requireUuid(String value, String field) {
        if (value == null || value.isEmpty()) {
            return require(false, field, "is required");
        }
        return require(isUuid(value), field, "must be a UUID");
    }

    public static boolean isUuid(String value) {
        try {
            return value != null && UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public Validation requireRange(long value, long min, long max, String field) {
        return require(value >= min && value <= max, field, "must be between " + min + " and " + max);
    }

    public void orThrow() {
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
    }
}
