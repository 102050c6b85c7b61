package app.tandem.platform.tracing;

import app.tandem.platform.logging.Redacted;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * An observation's failure as the handlers after this one see it: without messages ({@link Redacted}). A span records
 * its failure's message and stack trace, and an exporter sends them on; a message may quote a person's data (a
 * duplicate key, a document). Registered first, so the tracing handlers only ever see the redacted failure.
 */
public final class RedactedErrors implements ObservationHandler<Observation.Context> {

    @Override
    public void onError(Observation.Context context) {
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
