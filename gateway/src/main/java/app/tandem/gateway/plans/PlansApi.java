package app.tandem.gateway.plans;

import app.tandem.api.v1.AcknowledgeSafetyPlanRequest;
import app.tandem.api.v1.Boundary;
import app.tandem.api.v1.ChangeBoundaryRequest;
import app.tandem.api.v1.CompareSafetyPlanVersionsRequest;
import app.tandem.api.v1.CompleteRelapseResponseTaskRequest;
import app.tandem.api.v1.EditSafetyPlanSectionRequest;
import app.tandem.api.v1.GetBoundaryHistoryRequest;
import app.tandem.api.v1.GetBoundaryHistoryResponse;
import app.tandem.api.v1.GetSafetyPlanHistoryRequest;
import app.tandem.api.v1.GetSafetyPlanHistoryResponse;
import app.tandem.api.v1.GetSafetyPlanRequest;
import app.tandem.api.v1.ListBoundariesRequest;
import app.tandem.api.v1.ListBoundariesResponse;
import app.tandem.api.v1.ListRelapseResponseTasksRequest;
import app.tandem.api.v1.ListRelapseResponseTasksResponse;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.api.v1.ProposeBoundaryRequest;
import app.tandem.api.v1.RelapseResponseTask;
import app.tandem.api.v1.RespondToBoundaryRequest;
import app.tandem.api.v1.ReviseBoundaryRequest;
import app.tandem.api.v1.SafetyPlan;
import app.tandem.api.v1.SafetyPlanComparison;
import app.tandem.gateway.auth.Authentication;
import app.tandem.internal.v1.AcknowledgeSafetyPlanCall;
import app.tandem.internal.v1.ChangeBoundaryCall;
import app.tandem.internal.v1.CompareSafetyPlanVersionsCall;
import app.tandem.internal.v1.CompleteRelapseResponseTaskCall;
import app.tandem.internal.v1.EditSafetyPlanSectionCall;
import app.tandem.internal.v1.GetBoundaryHistoryCall;
import app.tandem.internal.v1.GetSafetyPlanCall;
import app.tandem.internal.v1.GetSafetyPlanHistoryCall;
import app.tandem.internal.v1.ListBoundariesCall;
import app.tandem.internal.v1.ListRelapseResponseTasksCall;
import app.tandem.internal.v1.PlansInternalGrpc;
import app.tandem.internal.v1.ProposeBoundaryCall;
import app.tandem.internal.v1.RespondToBoundaryCall;
import app.tandem.internal.v1.ReviseBoundaryCall;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

import static app.tandem.gateway.Forwarding.bounded;
import static app.tandem.gateway.Forwarding.reply;

/** Boundaries, the safety plan and relapse-response tasks: forwarded to plans-service with the authenticated actor. */
@Service
public class PlansApi extends PlansServiceGrpc.PlansServiceImplBase {

    private final PlansInternalGrpc.PlansInternalBlockingStub plans;

    public PlansApi(PlansInternalGrpc.PlansInternalBlockingStub plans) {
        this.plans = plans;
    }

    @Override
    public void proposeBoundary(ProposeBoundaryRequest request, StreamObserver<Boundary> response) {
        reply(response, bounded(plans).proposeBoundary(
                ProposeBoundaryCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void acceptBoundary(RespondToBoundaryRequest request, StreamObserver<Boundary> response) {
        reply(response, bounded(plans).acceptBoundary(
                RespondToBoundaryCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void declineBoundary(RespondToBoundaryRequest request, StreamObserver<Boundary> response) {
        reply(response, bounded(plans).declineBoundary(
                RespondToBoundaryCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void reviseBoundary(ReviseBoundaryRequest request, StreamObserver<Boundary> response) {
        reply(response, bounded(plans).reviseBoundary(
                ReviseBoundaryCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void pauseBoundary(ChangeBoundaryRequest request, StreamObserver<Boundary> response) {
        reply(response, bounded(plans).pauseBoundary(
                ChangeBoundaryCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void resumeBoundary(ChangeBoundaryRequest request, StreamObserver<Boundary> response) {
        reply(response, bounded(plans).resumeBoundary(
                ChangeBoundaryCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void retireBoundary(ChangeBoundaryRequest request, StreamObserver<Boundary> response) {
        reply(response, bounded(plans).retireBoundary(
                ChangeBoundaryCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void listBoundaries(ListBoundariesRequest request, StreamObserver<ListBoundariesResponse> response) {
        reply(response, bounded(plans).listBoundaries(
                ListBoundariesCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void getBoundaryHistory(GetBoundaryHistoryRequest request, StreamObserver<GetBoundaryHistoryResponse> response) {
        reply(response, bounded(plans).getBoundaryHistory(
                GetBoundaryHistoryCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void editSafetyPlanSection(EditSafetyPlanSectionRequest request, StreamObserver<SafetyPlan> response) {
        reply(response, bounded(plans).editSafetyPlanSection(
                EditSafetyPlanSectionCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void acknowledgeSafetyPlan(AcknowledgeSafetyPlanRequest request, StreamObserver<SafetyPlan> response) {
        reply(response, bounded(plans).acknowledgeSafetyPlan(
                AcknowledgeSafetyPlanCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void getSafetyPlan(GetSafetyPlanRequest request, StreamObserver<SafetyPlan> response) {
        reply(response, bounded(plans).getSafetyPlan(
                GetSafetyPlanCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void getSafetyPlanHistory(GetSafetyPlanHistoryRequest request, StreamObserver<GetSafetyPlanHistoryResponse> response) {
        reply(response, bounded(plans).getSafetyPlanHistory(
                GetSafetyPlanHistoryCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void compareSafetyPlanVersions(CompareSafetyPlanVersionsRequest request, StreamObserver<SafetyPlanComparison> response) {
        reply(response, bounded(plans).compareSafetyPlanVersions(
                CompareSafetyPlanVersionsCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void listRelapseResponseTasks(ListRelapseResponseTasksRequest request, StreamObserver<ListRelapseResponseTasksResponse> response) {
        reply(response, bounded(plans).listRelapseResponseTasks(
                ListRelapseResponseTasksCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void completeRelapseResponseTask(CompleteRelapseResponseTaskRequest request, StreamObserver<RelapseResponseTask> response) {
        reply(response, bounded(plans).completeRelapseResponseTask(
                CompleteRelapseResponseTaskCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }
}
