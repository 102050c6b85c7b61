package app.tandem.platform.grpc;

import app.tandem.platform.domain.Validation;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Checks shared by every endpoint. */
public final class Requests {

    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;

    private Requests() {
    }

    public static void requireIdempotencyKey(String key, String field) {
        new Validation().requireText(key, field, MAX_IDEMPOTENCY_KEY_LENGTH).orThrow();
    }

    public static String requireUuid(String value, String field) {
        new Validation().requireUuid(value, field).orThrow();
        return value;
    }

    /**
     * The identifier of what a request creates, derived from who asked and their idempotency key: a retry
     * addresses the same aggregate, which already exists, and so never creates a second one.
     */
    public static String deterministicId(String kind, String actor, String idempotencyKey) {
        return UUID.nameUUIDFromBytes((kind + "\u0000" + actor + "\u0000" + idempotencyKey).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
