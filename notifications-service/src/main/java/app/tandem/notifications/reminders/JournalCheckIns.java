package app.tandem.notifications.reminders;

import app.tandem.platform.grpc.ReplicaTargets;
import app.tandem.notifications.NotificationsProperties;
import app.tandem.internal.v1.GetLastCheckInRequest;
import app.tandem.internal.v1.JournalInternalGrpc;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.security.CallerAssertions;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks journal-service, under notifications-service's own identity, when a person last checked in. Nothing about
 * private entries is ever published for this: the journal answers one question when a reminder is due.
 */
@Component
public class JournalCheckIns implements CheckIns, DisposableBean {

    private static final String JOURNAL = "journal-service";

    private final ManagedChannel channel;
    private final JournalInternalGrpc.JournalInternalBlockingStub journal;

    public JournalCheckIns(NotificationsProperties properties, CallerAssertions identity, ObservationGrpcClientInterceptor traced) {
        this.channel = ReplicaTargets.channelTo(properties.journalTarget()).usePlaintext().intercept(traced).build();
        this.journal = JournalInternalGrpc.newBlockingStub(channel).withCallCredentials(identity.asService(JOURNAL));
    }

    @Override
    public Optional<Instant> lastCheckInOf(String personId) {
        var last = journal.withDeadlineAfter(5, TimeUnit.SECONDS).getLastCheckIn(GetLastCheckInRequest.newBuilder().setPersonId(personId).build());
        return last.hasRecordedAt() ? Optional.of(Timestamps.toInstant(last.getRecordedAt())) : Optional.empty();
    }

    @Override
    public void destroy() {
        channel.shutdownNow();
    }
}
