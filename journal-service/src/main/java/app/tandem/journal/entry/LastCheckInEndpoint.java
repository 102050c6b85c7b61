package app.tandem.journal.entry;

import app.tandem.internal.v1.GetLastCheckInRequest;
import app.tandem.internal.v1.JournalInternalGrpc;
import app.tandem.internal.v1.LastCheckIn;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/** For notifications-service's daily reminders: when a person last checked in, and nothing about what they wrote. */
@Service
public class LastCheckInEndpoint implements JournalInternalGrpc.AsyncService {

    private final Timeline timeline;

    public LastCheckInEndpoint(Timeline timeline) {
        this.timeline = timeline;
    }

    @Override
    public void getLastCheckIn(GetLastCheckInRequest request, StreamObserver<LastCheckIn> response) {
        new Validation().requireText(request.getPersonId(), "person_id", 200).orThrow();
        LastCheckIn.Builder answer = LastCheckIn.newBuilder();
        timeline.lastCheckInOf(request.getPersonId()).ifPresent(last -> answer.setRecordedAt(Timestamps.of(last)));
        response.onNext(answer.build());
        response.onCompleted();
    }
}
