package app.tandem.gateway.journal;

import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.ListTimelineResponse;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordCheckInResponse;
import app.tandem.gateway.auth.Authentication;
import app.tandem.internal.v1.JournalInternalGrpc;
import app.tandem.internal.v1.ListTimelineCall;
import app.tandem.internal.v1.RecordCheckInCall;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

import static app.tandem.gateway.Forwarding.bounded;
import static app.tandem.gateway.Forwarding.reply;

@Service
public class JournalApi extends JournalServiceGrpc.JournalServiceImplBase {

    private final JournalInternalGrpc.JournalInternalBlockingStub journal;

    public JournalApi(JournalInternalGrpc.JournalInternalBlockingStub journal) {
        this.journal = journal;
    }

    @Override
    public void recordCheckIn(RecordCheckInRequest request, StreamObserver<RecordCheckInResponse> response) {
        reply(response, bounded(journal).recordCheckIn(
                RecordCheckInCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void listTimeline(ListTimelineRequest request, StreamObserver<ListTimelineResponse> response) {
        reply(response, bounded(journal).listTimeline(
                ListTimelineCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }
}
