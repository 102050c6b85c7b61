package app.tandem.journal.erasure;

import java.time.Instant;
import java.util.Set;

/** Stored domain events of a person's erasures: ids and services only, never what was erased. */
public final class ErasureEvents {

    private ErasureEvents() {
    }

    public record ErasureRequested(String erasureId, String personId, int round, Set<String> services,
                                   String requestReference, Instant requestedAt) {
    }

    public record ServiceErased(String erasureId, int round, String service, Instant erasedAt) {
    }

    public record ErasureCompleted(String erasureId, int round, Instant completedAt) {
    }
}
