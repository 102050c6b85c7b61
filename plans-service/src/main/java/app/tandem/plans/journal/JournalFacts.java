package app.tandem.plans.journal;

import app.tandem.internal.v1.DisclosedLapse;
import app.tandem.internal.v1.GetDisclosedLapseRequest;
import app.tandem.internal.v1.GetSharedCheckInRequest;
import app.tandem.internal.v1.JournalCheckInFactsGrpc;
import app.tandem.internal.v1.JournalLapseFactsGrpc;
import app.tandem.internal.v1.SharedCheckIn;
import app.tandem.plans.PlansProperties;
import app.tandem.platform.grpc.OwnerFacts;
import app.tandem.platform.security.CallerAssertions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks journal-service, under plans-service's own identity, for the facts its events leave out: the boundaries a shared
 * check-in reports, the safety facts of a disclosed lapse. Empty when the journal no longer gives them.
 */
@Component
public class JournalFacts implements DisposableBean {

    private static final String JOURNAL = "journal-service";
    private static final long DEADLINE_SECONDS = 5;

    private final ManagedChannel channel;
    private final JournalCheckInFactsGrpc.JournalCheckInFactsBlockingStub checkIns;
    private final JournalLapseFactsGrpc.JournalLapseFactsBlockingStub lapses;

    public JournalFacts(PlansProperties properties, CallerAssertions identity, ObservationGrpcClientInterceptor traced) {
        this.channel = ManagedChannelBuilder.forTarget(properties.journalTarget()).usePlaintext().intercept(traced).build();
        this.checkIns = JournalCheckInFactsGrpc.newBlockingStub(channel).withCallCredentials(identity.asService(JOURNAL));
        this.lapses = JournalLapseFactsGrpc.newBlockingStub(channel).withCallCredentials(identity.asService(JOURNAL));
    }

    public Optional<SharedCheckIn> sharedCheckIn(String checkInId) {
        return OwnerFacts.unlessGone(() -> checkIns.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getSharedCheckIn(GetSharedCheckInRequest.newBuilder().setCheckInId(checkInId).build()));
    }

    public Optional<DisclosedLapse> disclosedLapse(String lapseId) {
        return OwnerFacts.unlessGone(() -> lapses.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getDisclosedLapse(GetDisclosedLapseRequest.newBuilder().setLapseId(lapseId).build()));
    }

    @Override
    public void destroy() {
        channel.shutdownNow();
    }
}
