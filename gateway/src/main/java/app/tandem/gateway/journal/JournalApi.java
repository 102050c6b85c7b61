package app.tandem.gateway.journal;

import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.AmendCheckInRequest;
import app.tandem.api.v1.AmendEntryResponse;
import app.tandem.api.v1.DiscloseLapseRequest;
import app.tandem.api.v1.DiscloseLapseResponse;
import app.tandem.api.v1.GetEntryHistoryRequest;
import app.tandem.api.v1.GetEntryHistoryResponse;
import app.tandem.api.v1.GetGoalsRequest;
import app.tandem.api.v1.GetGoalsResponse;
import app.tandem.api.v1.GetStatsRequest;
import app.tandem.api.v1.Goal;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.ListTimelineResponse;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordCheckInResponse;
import app.tandem.api.v1.RecordWeeklyReviewRequest;
import app.tandem.api.v1.RecordWeeklyReviewResponse;
import app.tandem.api.v1.RequestSupportRequest;
import app.tandem.api.v1.RequestSupportResponse;
import app.tandem.api.v1.RetractEntryRequest;
import app.tandem.api.v1.SetGoalRequest;
import app.tandem.api.v1.Stats;
import app.tandem.internal.v1.AmendCheckInCall;
import app.tandem.internal.v1.DiscloseLapseCall;
import app.tandem.internal.v1.GetEntryHistoryCall;
import app.tandem.internal.v1.GetGoalsCall;
import app.tandem.internal.v1.GetStatsCall;
import app.tandem.internal.v1.ListTimelineCall;
import app.tandem.internal.v1.RecordCheckInCall;
import app.tandem.internal.v1.RecordWeeklyReviewCall;
import app.tandem.internal.v1.RequestSupportCall;
import app.tandem.internal.v1.RetractEntryCall;
import app.tandem.internal.v1.SetGoalCall;
import app.tandem.gateway.auth.Authentication;
import app.tandem.internal.v1.CouplesInternalGrpc;
import app.tandem.internal.v1.JournalInternalGrpc;
import app.tandem.internal.v1.ProgressInternalGrpc;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

import static app.tandem.gateway.Forwarding.bounded;
import static app.tandem.gateway.Forwarding.reply;

/** The public journal API: entries, progress and support requests, each forwarded to the journal-service part that owns it. */
@Service
public class JournalApi extends JournalServiceGrpc.JournalServiceImplBase {

    private final JournalInternalGrpc.JournalInternalBlockingStub journal;
    private final ProgressInternalGrpc.ProgressInternalBlockingStub progress;
    private final CouplesInternalGrpc.CouplesInternalBlockingStub couples;

    public JournalApi(JournalInternalGrpc.JournalInternalBlockingStub journal, ProgressInternalGrpc.ProgressInternalBlockingStub progress,
                      CouplesInternalGrpc.CouplesInternalBlockingStub couples) {
        this.journal = journal;
        this.progress = progress;
        this.couples = couples;
    }

    @Override
    public void recordCheckIn(RecordCheckInRequest request, StreamObserver<RecordCheckInResponse> response) {
        reply(response, bounded(journal).recordCheckIn(RecordCheckInCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void recordWeeklyReview(RecordWeeklyReviewRequest request, StreamObserver<RecordWeeklyReviewResponse> response) {
        reply(response, bounded(journal).recordWeeklyReview(RecordWeeklyReviewCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void amendCheckIn(AmendCheckInRequest request, StreamObserver<AmendEntryResponse> response) {
        reply(response, bounded(journal).amendCheckIn(AmendCheckInCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void retractEntry(RetractEntryRequest request, StreamObserver<AmendEntryResponse> response) {
        reply(response, bounded(journal).retractEntry(RetractEntryCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void getEntryHistory(GetEntryHistoryRequest request, StreamObserver<GetEntryHistoryResponse> response) {
        reply(response, bounded(journal).getEntryHistory(GetEntryHistoryCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void listTimeline(ListTimelineRequest request, StreamObserver<ListTimelineResponse> response) {
        reply(response, bounded(journal).listTimeline(ListTimelineCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void discloseLapse(DiscloseLapseRequest request, StreamObserver<DiscloseLapseResponse> response) {
        reply(response, bounded(progress).discloseLapse(DiscloseLapseCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void setGoal(SetGoalRequest request, StreamObserver<Goal> response) {
        reply(response, bounded(progress).setGoal(SetGoalCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void getGoals(GetGoalsRequest request, StreamObserver<GetGoalsResponse> response) {
        reply(response, bounded(progress).getGoals(GetGoalsCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void getStats(GetStatsRequest request, StreamObserver<Stats> response) {
        reply(response, bounded(progress).getStats(GetStatsCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void requestSupport(RequestSupportRequest request, StreamObserver<RequestSupportResponse> response) {
        reply(response, bounded(couples).requestSupport(RequestSupportCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }
}
