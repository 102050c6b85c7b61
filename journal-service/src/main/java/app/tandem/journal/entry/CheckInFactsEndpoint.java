package app.tandem.journal.entry;

import app.tandem.internal.v1.GetSharedCheckInRequest;
import app.tandem.internal.v1.JournalCheckInFactsGrpc;
import app.tandem.internal.v1.SharedCheckIn;
import app.tandem.journal.PublishedFacts;
import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Unary;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/**
 * The facts of a shared check-in that {@code CheckInShared} leaves out, for services that act on them (boundary reports,
 * craving alerts): only while the author shares it with their partner, as it stands now, never its note or tags.
 */
@Service
public class CheckInFactsEndpoint implements JournalCheckInFactsGrpc.AsyncService {

    private final Timeline timeline;
    private final ReadYourWrites readYourWrites;

    public CheckInFactsEndpoint(Timeline timeline, ReadYourWrites readYourWrites) {
        this.timeline = timeline;
        this.readYourWrites = readYourWrites;
    }

    @Override
    public void getSharedCheckIn(GetSharedCheckInRequest request, StreamObserver<SharedCheckIn> response) {
        new Validation().requireUuid(request.getCheckInId(), "check_in_id").orThrow();
        EntryContent.CheckIn checkIn = PublishedFacts.found(readYourWrites, Timeline.PROCESSOR,
                () -> timeline.sharedCheckIn(request.getCheckInId())).checkIn();
        Unary.reply(response, SharedCheckIn.newBuilder()
                .setMood(checkIn.mood())
                .setCravingIntensity(checkIn.cravingIntensity())
                .setUsed(checkIn.used())
                .addAllBoundariesKept(checkIn.boundariesKept())
                .addAllBoundariesCrossed(checkIn.boundariesCrossed())
                .build());
    }
}
