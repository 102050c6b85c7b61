package app.tandem.platform.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A fact a consumer of integration events asks its owner for, since the events carry none: NOT_FOUND means the fact
 * is gone (unknown, retracted, no longer shared, its person erased) and the consumer skips what depended on it. Any
 * other failure is thrown as it came: UNAVAILABLE and DEADLINE_EXCEEDED pass by themselves, and the consumer retries.
 */
public final class OwnerFacts {

    private OwnerFacts() {
    }

    public static <T> Optional<T> unlessGone(Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
