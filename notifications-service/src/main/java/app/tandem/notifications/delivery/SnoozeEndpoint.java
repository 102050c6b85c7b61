package app.tandem.notifications.delivery;

import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.api.v1.SnoozePartnerRequest;
import app.tandem.api.v1.SnoozePartnerResponse;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.security.Caller;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A person snoozes their partner in one couple: only the caller's own prompts change, so no membership is needed. */
@Service
public class SnoozeEndpoint implements NotificationServiceGrpc.AsyncService {

    static final int MAX_MINUTES = 7 * 24 * 60;

    private final Snoozes snoozes;
    private final Clock clock;

    public SnoozeEndpoint(Snoozes snoozes, Clock clock) {
        this.snoozes = snoozes;
        this.clock = clock;
    }

    @Override
    public void snoozePartner(SnoozePartnerRequest request, StreamObserver<SnoozePartnerResponse> response) {
        String person = Caller.current().personId();
        new Validation()
                .requireUuid(request.getCoupleId(), "couple_id")
                .requireRange(request.getMinutes(), 0, MAX_MINUTES, "minutes")
                .orThrow();
        SnoozePartnerResponse.Builder answer = SnoozePartnerResponse.newBuilder();
        if (request.getMinutes() == 0) {
            snoozes.end(person, request.getCoupleId());
        } else {
            Instant until = clock.instant().plus(Duration.ofMinutes(request.getMinutes()));
            snoozes.snooze(person, request.getCoupleId(), until);
            answer.setSnoozedUntil(Timestamps.of(until));
        }
        response.onNext(answer.build());
        response.onCompleted();
    }
}
