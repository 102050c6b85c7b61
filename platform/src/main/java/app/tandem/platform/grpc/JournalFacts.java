package app.tandem.platform.grpc;

import app.tandem.internal.v1.DisclosedLapse;
import app.tandem.internal.v1.GetDisclosedLapseRequest;
import app.tandem.internal.v1.GetMilestoneRequest;
import app.tandem.internal.v1.GetSharedCheckInRequest;
import app.tandem.internal.v1.JournalCheckInFactsGrpc;
import app.tandem.internal.v1.JournalLapseFactsGrpc;
import app.tandem.internal.v1.JournalMilestoneFactsGrpc;
import app.tandem.internal.v1.MilestoneFacts;
import app.tandem.internal.v1.SharedCheckIn;
import app.tandem.platform.security.CallerAssertions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Asks journal-service, under the calling service's own identity, for the facts its integration events leave out.
 * Empty (NOT_FOUND) means the fact is gone: unknown, retracted, no longer shared or its person erased, and the consumer
 * skips what depended on it. Any other failure is thrown as it came: UNAVAILABLE and DEADLINE_EXCEEDED pass by
 * themselves ({@code kafka.Failures}), so the consumer pauses and asks again. Which service may ask what is the
 * journal's access rule; a service asks only what it needs.
 */
public final class JournalFacts implements AutoCloseable {

    private static final String JOURNAL = "journal-service";
    private static final long DEADLINE_SECONDS = 5;

    private final ManagedChannel channel;
    private final JournalCheckInFactsGrpc.JournalCheckInFactsBlockingStub checkIns;
    private final JournalLapseFactsGrpc.JournalLapseFactsBlockingStub lapses;
    private final JournalMilestoneFactsGrpc.JournalMilestoneFactsBlockingStub milestones;

    /** @param target where journal-service listens (host:port) */
    public JournalFacts(String target, CallerAssertions identity, ObservationGrpcClientInterceptor traced) {
        this.channel = ReplicaTargets.channelTo(target).usePlaintext().intercept(traced).build();
        this.checkIns = JournalCheckInFactsGrpc.newBlockingStub(channel).withCallCredentials(identity.asService(JOURNAL));
        this.lapses = JournalLapseFactsGrpc.newBlockingStub(channel).withCallCredentials(identity.asService(JOURNAL));
        this.milestones = JournalMilestoneFactsGrpc.newBlockingStub(channel).withCallCredentials(identity.asService(JOURNAL));
    }

    public Optional<SharedCheckIn> sharedCheckIn(String checkInId) {
        return unlessGone(() -> checkIns.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getSharedCheckIn(GetSharedCheckInRequest.newBuilder().setCheckInId(checkInId).build()));
    }

    public Optional<DisclosedLapse> disclosedLapse(String lapseId) {
        return unlessGone(() -> lapses.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getDisclosedLapse(GetDisclosedLapseRequest.newBuilder().setLapseId(lapseId).build()));
    }

    public Optional<MilestoneFacts> milestone(String personId, String milestoneId) {
        return unlessGone(() -> milestones.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getMilestone(GetMilestoneRequest.newBuilder().setPersonId(personId).setMilestoneId(milestoneId).build()));
    }

    private static <T> Optional<T> unlessGone(Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
