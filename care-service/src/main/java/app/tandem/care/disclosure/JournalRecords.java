package app.tandem.care.disclosure;

import app.tandem.api.v1.TimelineEntry;
import app.tandem.care.CareProperties;
import app.tandem.internal.v1.CareFigures;
import app.tandem.internal.v1.GetCareFiguresRequest;
import app.tandem.internal.v1.GetDisclosedEntriesRequest;
import app.tandem.internal.v1.JournalDisclosuresGrpc;
import app.tandem.platform.security.CallerAssertions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads what a consent discloses from journal-service, under care-service's own identity and naming the consent:
 * personal content never travels on Kafka for this, and the journal decides which entries may go at all.
 */
@Component
public class JournalRecords implements DisposableBean {

    private static final String JOURNAL = "journal-service";
    private static final long DEADLINE_SECONDS = 5;

    private final ManagedChannel channel;
    private final JournalDisclosuresGrpc.JournalDisclosuresBlockingStub journal;

    public JournalRecords(CareProperties properties, CallerAssertions identity, ObservationGrpcClientInterceptor traced) {
        this.channel = ManagedChannelBuilder.forTarget(properties.journalTarget()).usePlaintext().intercept(traced).build();
        this.journal = JournalDisclosuresGrpc.newBlockingStub(channel).withCallCredentials(identity.asService(JOURNAL));
    }

    /** The entries as they stand that the journal still lets go: shared, not retracted, the patient's own. */
    public List<TimelineEntry> entries(String consentId, String patient, List<String> entryIds, boolean withNotes) {
        return journal.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).getDisclosedEntries(GetDisclosedEntriesRequest.newBuilder()
                .setConsentId(consentId).setPersonId(patient).addAllEntryIds(entryIds).setIncludeNotes(withNotes).build()).getEntriesList();
    }

    public CareFigures figures(GetCareFiguresRequest request) {
        return journal.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).getCareFigures(request);
    }

    @Override
    public void destroy() {
        channel.shutdownNow();
    }
}
