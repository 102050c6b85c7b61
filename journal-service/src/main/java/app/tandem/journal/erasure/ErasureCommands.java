package app.tandem.journal.erasure;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Set;

public final class ErasureCommands {

    private ErasureCommands() {
    }

    /**
     * Erase {@code personId} everywhere: each of {@code services} must confirm. {@code requestReference} is where an
     * operator keeps the verified request, null when the person asked themselves.
     */
    public record RequestErasure(@TargetAggregateIdentifier String erasureId, String personId, Set<String> services,
                                 String requestReference, Instant now) {
    }

    public record ConfirmErasure(@TargetAggregateIdentifier String erasureId, int round, String service, Instant now) {
    }
}
