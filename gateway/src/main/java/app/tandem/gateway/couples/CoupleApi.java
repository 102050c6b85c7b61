package app.tandem.gateway.couples;

import app.tandem.api.v1.Couple;
import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.GetCoupleRequest;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.JoinCoupleResponse;
import app.tandem.api.v1.LeaveCoupleRequest;
import app.tandem.api.v1.LeaveCoupleResponse;
import app.tandem.gateway.auth.Authentication;
import app.tandem.internal.v1.CouplesInternalGrpc;
import app.tandem.internal.v1.CreateCoupleCall;
import app.tandem.internal.v1.GetCoupleCall;
import app.tandem.internal.v1.JoinCoupleCall;
import app.tandem.internal.v1.LeaveCoupleCall;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

import static app.tandem.gateway.Forwarding.bounded;
import static app.tandem.gateway.Forwarding.reply;

@Service
public class CoupleApi extends CoupleServiceGrpc.CoupleServiceImplBase {

    private final CouplesInternalGrpc.CouplesInternalBlockingStub couples;

    public CoupleApi(CouplesInternalGrpc.CouplesInternalBlockingStub couples) {
        this.couples = couples;
    }

    @Override
    public void createCouple(CreateCoupleRequest request, StreamObserver<CreateCoupleResponse> response) {
        reply(response, bounded(couples)
                .createCouple(CreateCoupleCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void joinCouple(JoinCoupleRequest request, StreamObserver<JoinCoupleResponse> response) {
        reply(response, bounded(couples)
                .joinCouple(JoinCoupleCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void getCouple(GetCoupleRequest request, StreamObserver<Couple> response) {
        reply(response, bounded(couples)
                .getCouple(GetCoupleCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }

    @Override
    public void leaveCouple(LeaveCoupleRequest request, StreamObserver<LeaveCoupleResponse> response) {
        reply(response, bounded(couples)
                .leaveCouple(LeaveCoupleCall.newBuilder().setActor(Authentication.actor()).setRequest(request).build()));
    }
}
