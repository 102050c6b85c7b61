package app.tandem.journal.progress;

import app.tandem.internal.v1.DisclosedLapse;
import app.tandem.internal.v1.GetDisclosedLapseRequest;
import app.tandem.internal.v1.GetMilestoneRequest;
import app.tandem.internal.v1.JournalLapseFactsGrpc;
import app.tandem.internal.v1.JournalMilestoneFactsGrpc;
import app.tandem.internal.v1.MilestoneFacts;
import app.tandem.journal.PublishedFacts;
import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Unary;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/**
 * The facts of a disclosed lapse and of a milestone that {@code LapseDisclosed} and {@code MilestoneReached} leave out,
 * for services that act on them: a lapse only as the person disclosed it to their partner, never use reported privately.
 */
@Service
public class ProgressFactsEndpoint implements JournalLapseFactsGrpc.AsyncService, JournalMilestoneFactsGrpc.AsyncService {

    static final int MAX_ID_LENGTH = 200;

    private final DisclosedLapses lapses;
    private final ProgressView progress;
    private final ReadYourWrites readYourWrites;

    public ProgressFactsEndpoint(DisclosedLapses lapses, ProgressView progress, ReadYourWrites readYourWrites) {
        this.lapses = lapses;
        this.progress = progress;
        this.readYourWrites = readYourWrites;
    }

    @Override
    public void getDisclosedLapse(GetDisclosedLapseRequest request, StreamObserver<DisclosedLapse> response) {
        new Validation().requireUuid(request.getLapseId(), "lapse_id").orThrow();
        DisclosedLapses.Lapse lapse = PublishedFacts.found(readYourWrites, DisclosedLapses.PROCESSOR, () -> lapses.lapse(request.getLapseId()));
        Unary.reply(response, DisclosedLapse.newBuilder()
                .addAllSubstances(lapse.substances().stream().map(s -> app.tandem.api.v1.Substance.valueOf(s.name())).toList())
                .setUsedAlone(lapse.usedAlone())
                .setNaloxoneAtHand(lapse.naloxoneAtHand())
                .build());
    }

    @Override
    public void getMilestone(GetMilestoneRequest request, StreamObserver<MilestoneFacts> response) {
        new Validation().requireText(request.getPersonId(), "person_id", MAX_ID_LENGTH)
                .requireUuid(request.getMilestoneId(), "milestone_id").orThrow();
        ProgressView.MilestoneFacts milestone = PublishedFacts.found(readYourWrites, ProgressView.PROCESSOR,
                () -> progress.milestone(request.getPersonId(), request.getMilestoneId()));
        MilestoneFacts.Builder facts = MilestoneFacts.newBuilder().setDays(milestone.days());
        if (milestone.goalKind() != null) {
            facts.setGoalKind(app.tandem.api.v1.GoalKind.valueOf(milestone.goalKind().name()));
        }
        Unary.reply(response, facts.build());
    }
}
