package app.tandem.platform.tracing;

import app.tandem.platform.logging.Redacted;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * An observation's failure as the handlers after this one see it: without messages ({@link Redacted}). A span records
 * its failure's message and stack trace, and an exporter sends them on; a message may quote a person's data (a
 * duplicate key, a document). The tracing handlers redact for themselves ({@link RedactedTracingHandlers}), as Boot
 * runs them before this one; this covers the handlers that come after them.
 */
public final class RedactedErrors implements ObservationHandler<Observation.Context> {

    @Override
    public void onError(Observation.Context context) {
        redact(context);
    }

    /** Replaces the context's failure by its redacted form, which the handlers after this see. */
    static void redact(Observation.Context context) {
        Throwable error = context.getError();
        if (error != null) {
            context.setError(Redacted.of(error));
        }
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return true;
    }
}
