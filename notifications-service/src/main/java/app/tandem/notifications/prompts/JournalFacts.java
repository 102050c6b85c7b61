package app.tandem.notifications.prompts;

import app.tandem.internal.v1.GetMilestoneRequest;
import app.tandem.internal.v1.GetSharedCheckInRequest;
import app.tandem.internal.v1.JournalCheckInFactsGrpc;
import app.tandem.internal.v1.JournalMilestoneFactsGrpc;
import app.tandem.internal.v1.MilestoneFacts;
import app.tandem.internal.v1.SharedCheckIn;
import app.tandem.notifications.NotificationsProperties;
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
 * Asks journal-service, under notifications-service's own identity, for the facts a prompt depends on and the journal's
 * events leave out: a shared check-in's craving, a milestone's days. Empty when the journal no longer gives them.
 */
@Component
public class JournalFacts implements DisposableBean {

    private static final String JOURNAL = "journal-service";
    private static final long DEADLINE_SECONDS = 5;

    private final ManagedChannel channel;
    private final JournalCheckInFactsGrpc.JournalCheckInFactsBlockingStub checkIns;
    private final JournalMilestoneFactsGrpc.JournalMilestoneFactsBlockingStub milestones;

    public JournalFacts(NotificationsProperties properties, CallerAssertions identity, ObservationGrpcClientInterceptor traced) {
        this.channel = ManagedChannelBuilder.forTarget(properties.journalTarget()).usePlaintext().intercept(traced).build();
        this.checkIns = JournalCheckInFactsGrpc.newBlockingStub(channel).withCallCredentials(identity.asService(JOURNAL));
        this.milestones = JournalMilestoneFactsGrpc.newBlockingStub(channel).withCallCredentials(identity.asService(JOURNAL));
    }

    public Optional<SharedCheckIn> sharedCheckIn(String checkInId) {
        return OwnerFacts.unlessGone(() -> checkIns.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getSharedCheckIn(GetSharedCheckInRequest.newBuilder().setCheckInId(checkInId).build()));
    }

    public Optional<MilestoneFacts> milestone(String personId, String milestoneId) {
        return OwnerFacts.unlessGone(() -> milestones.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getMilestone(GetMilestoneRequest.newBuilder().setPersonId(personId).setMilestoneId(milestoneId).build()));
    }

    @Override
    public void destroy() {
        channel.shutdownNow();
    }
}
