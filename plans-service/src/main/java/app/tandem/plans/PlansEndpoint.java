package app.tandem.plans;

import app.tandem.api.v1.Boundary;
import app.tandem.api.v1.GetBoundaryHistoryResponse;
import app.tandem.api.v1.GetSafetyPlanHistoryResponse;
import app.tandem.api.v1.ListBoundariesResponse;
import app.tandem.api.v1.ListRelapseResponseTasksResponse;
import app.tandem.api.v1.RelapseResponseTask;
import app.tandem.api.v1.SafetyPlan;
import app.tandem.api.v1.SafetyPlanComparison;
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
import app.tandem.plans.boundary.BoundaryRequests;
import app.tandem.plans.relapse.RelapseTaskRequests;
import app.tandem.plans.safetyplan.SafetyPlanRequests;
import app.tandem.platform.grpc.Requests;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/** plans-service over internal gRPC: the gateway has already authenticated the actor; each feature answers its calls. */
@Service
public class PlansEndpoint extends PlansInternalGrpc.PlansInternalImplBase {

    private final BoundaryRequests boundaries;
    private final SafetyPlanRequests safetyPlans;
    private final RelapseTaskRequests relapseTasks;

    public PlansEndpoint(BoundaryRequests boundaries, SafetyPlanRequests safetyPlans, RelapseTaskRequests relapseTasks) {
        this.boundaries = boundaries;
        this.safetyPlans = safetyPlans;
        this.relapseTasks = relapseTasks;
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }

    @Override
    public void proposeBoundary(ProposeBoundaryCall call, StreamObserver<Boundary> response) {
        reply(response, boundaries.propose(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void acceptBoundary(RespondToBoundaryCall call, StreamObserver<Boundary> response) {
        reply(response, boundaries.accept(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void declineBoundary(RespondToBoundaryCall call, StreamObserver<Boundary> response) {
        reply(response, boundaries.decline(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void reviseBoundary(ReviseBoundaryCall call, StreamObserver<Boundary> response) {
        reply(response, boundaries.revise(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void pauseBoundary(ChangeBoundaryCall call, StreamObserver<Boundary> response) {
        reply(response, boundaries.pause(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void resumeBoundary(ChangeBoundaryCall call, StreamObserver<Boundary> response) {
        reply(response, boundaries.resume(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void retireBoundary(ChangeBoundaryCall call, StreamObserver<Boundary> response) {
        reply(response, boundaries.retire(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void listBoundaries(ListBoundariesCall call, StreamObserver<ListBoundariesResponse> response) {
        reply(response, boundaries.list(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void getBoundaryHistory(GetBoundaryHistoryCall call, StreamObserver<GetBoundaryHistoryResponse> response) {
        reply(response, boundaries.history(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void editSafetyPlanSection(EditSafetyPlanSectionCall call, StreamObserver<SafetyPlan> response) {
        reply(response, safetyPlans.edit(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void acknowledgeSafetyPlan(AcknowledgeSafetyPlanCall call, StreamObserver<SafetyPlan> response) {
        reply(response, safetyPlans.acknowledge(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void getSafetyPlan(GetSafetyPlanCall call, StreamObserver<SafetyPlan> response) {
        reply(response, safetyPlans.get(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void getSafetyPlanHistory(GetSafetyPlanHistoryCall call, StreamObserver<GetSafetyPlanHistoryResponse> response) {
        reply(response, safetyPlans.history(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void compareSafetyPlanVersions(CompareSafetyPlanVersionsCall call, StreamObserver<SafetyPlanComparison> response) {
        reply(response, safetyPlans.compare(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void listRelapseResponseTasks(ListRelapseResponseTasksCall call, StreamObserver<ListRelapseResponseTasksResponse> response) {
        reply(response, relapseTasks.list(Requests.actor(call.getActor()), call.getRequest()));
    }

    @Override
    public void completeRelapseResponseTask(CompleteRelapseResponseTaskCall call, StreamObserver<RelapseResponseTask> response) {
        reply(response, relapseTasks.complete(Requests.actor(call.getActor()), call.getRequest()));
    }
}
