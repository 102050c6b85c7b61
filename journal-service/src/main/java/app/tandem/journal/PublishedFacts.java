package app.tandem.journal;

import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.platform.domain.NotFound;
import io.grpc.Status;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the journal answers another service for a fact behind one of its integration events: from a read model that has
 * caught up with the store, since the event reached Kafka only after it was stored. An absence then means the item is
 * unknown, retracted, no longer shared or erased (NOT_FOUND, and the consumer skips what needed it); a read model
 * still behind (a replay) answers UNAVAILABLE, so the consumer asks again rather than take a lag for an erasure.
 */
public final class PublishedFacts {

    private PublishedFacts() {
    }

    public static <T> T found(ReadYourWrites reads, String processor, Supplier<Optional<T>> read) {
        boolean current = reads.awaitProjection(processor);
        Optional<T> found = read.get();
        if (found.isPresent()) {
            return found.get();
        }
        if (!current) {
            throw Status.UNAVAILABLE.withDescription("the journal is catching up; ask again").asRuntimeException();
        }
        throw new NotFound("not known, or no longer shared");
    }
}
