package app.tandem.notifications.reminders;

import app.tandem.api.v1.GetStatsRequest;
import app.tandem.internal.v1.Actor;
import app.tandem.internal.v1.GetStatsCall;
import app.tandem.internal.v1.ProgressInternalGrpc;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks journal-service over its internal API, on the person's behalf. Nothing about private entries is ever
 * published for this: the journal answers one question when a reminder is due.
 */
@Component
public class JournalCheckIns implements CheckIns, DisposableBean {

    private final ManagedChannel channel;
    private final ProgressInternalGrpc.ProgressInternalBlockingStub progress;

    public JournalCheckIns(@Value("${tandem.notifications.journal-target:127.0.0.1:9101}") String target) {
        this.channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        this.progress = ProgressInternalGrpc.newBlockingStub(channel);
    }

    @Override
    public Optional<Instant> lastCheckInOf(String personId) {
        var stats = progress.withDeadlineAfter(5, TimeUnit.SECONDS).getStats(GetStatsCall.newBuilder()
                .setActor(Actor.newBuilder().setPersonId(personId)).setRequest(GetStatsRequest.getDefaultInstance()).build());
        return stats.hasLastCheckInAt() ? Optional.of(Timestamps.toInstant(stats.getLastCheckInAt())) : Optional.empty();
    }

    @Override
    public void destroy() {
        channel.shutdownNow();
    }
}
