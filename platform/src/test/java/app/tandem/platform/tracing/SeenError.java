package app.tandem.platform.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/** An observation handler that keeps the last failure it was handed. */
final class SeenError implements ObservationHandler<Observation.Context> {

    private volatile Throwable error;

    @Override
    public void onError(Observation.Context context) {
        error = context.getError();
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return true;
    }

    Throwable get() {
        return error;
    }
}
