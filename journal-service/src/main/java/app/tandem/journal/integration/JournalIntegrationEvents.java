package app.tandem.journal.integration;

import app.tandem.events.v1.CheckInShared;
import app.tandem.events.v1.CoupleCreated;
import app.tandem.events.v1.CoupleDissolved;
import app.tandem.events.v1.CoupleMilestoneReached;
import app.tandem.events.v1.LapseDisclosed;
import app.tandem.events.v1.MilestoneReached;
import app.tandem.events.v1.PartnerJoined;
import app.tandem.events.v1.PersonErasureRequested;
import app.tandem.events.v1.SupportRequested;
import app.tandem.events.v1.WeeklyReviewShared;
import app.tandem.journal.couple.CoupleEvents;
import app.tandem.journal.erasure.ErasureEvents;
import app.tandem.journal.entry.EntryEvents.CheckInAmended;
import app.tandem.journal.entry.EntryEvents.CheckInRecorded;
import app.tandem.journal.entry.EntryEvents.WeeklyReviewRecorded;
import app.tandem.journal.progress.ProgressEvents.UseRecorded;
import app.tandem.journal.progress.ProgressEvents;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.kafka.IntegrationEvent;
import app.tandem.platform.privacy.PersonErasure;
import app.tandem.platform.kafka.IntegrationEventTranslator;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * What the journal tells other services: ids, kinds, times and who is concerned, never a personal fact, since a Kafka
 * record outlives its author's erasure. Other services learn that a partner shared a check-in, disclosed a lapse or
 * reached a milestone, and ask the journal for its facts (mood, craving, use, boundaries, substances, days) while
 * they still stand. Private entries are never published, use reported only privately is never disclosed, and a
 * partner who left is never named.
 */
@Component
public class JournalIntegrationEvents implements IntegrationEventTranslator {

    @Override
    public List<IntegrationEvent> translate(EventMessage<?> event) {
        Object payload = event.getPayload();
        if (payload instanceof CoupleEvents.CoupleCreated created) {
            return List.of(new IntegrationEvent(created.coupleId(), created.founderPersonId(), CoupleCreated.newBuilder()
                    .setCoupleId(created.coupleId()).setFounderPersonId(created.founderPersonId()).build()));
        }
        if (payload instanceof CoupleEvents.PartnerJoined joined) {
            return List.of(new IntegrationEvent(joined.coupleId(), joined.personId(), PartnerJoined.newBuilder()
                    .setCoupleId(joined.coupleId()).setPersonId(joined.personId()).build()));
        }
        if (payload instanceof CoupleEvents.PartnerLeft left) {
            CoupleDissolved.Builder dissolved = CoupleDissolved.newBuilder().setCoupleId(left.coupleId());
            if (left.remainingPersonId() != null) {
                dissolved.setRemainingPersonId(left.remainingPersonId());
            }
            return List.of(new IntegrationEvent(left.coupleId(), null, dissolved.build()));
        }
        if (payload instanceof CoupleEvents.SupportRequested support) {
            return List.of(new IntegrationEvent(support.coupleId(), support.personId(), SupportRequested.newBuilder()
                    .setRequestId(support.requestId()).setCoupleId(support.coupleId()).setPersonId(support.personId())
                    .setPartnerPersonId(support.partnerPersonId()).setRequestedAt(Timestamps.of(support.requestedAt())).build()));
        }
        if (payload instanceof ErasureEvents.ErasureRequested erasure) {
            return List.of(new IntegrationEvent(null, erasure.personId(), PersonErasureRequested.newBuilder()
                    .setErasureId(erasure.erasureId()).setRound(erasure.round()).setPersonId(erasure.personId())
                    .setRequestedAt(Timestamps.of(erasure.requestedAt())).build(), PersonErasure.TOPIC));
        }
        if (payload instanceof CoupleEvents.CoupleMilestoneReached milestone) {
            return List.of(new IntegrationEvent(milestone.coupleId(), null, CoupleMilestoneReached.newBuilder()
                    .setCoupleId(milestone.coupleId()).setDays(milestone.days())
                    .addAllPartnerPersonIds(milestone.partnerPersonIds()).setReachedAt(Timestamps.of(milestone.reachedAt())).build()));
        }
        if (payload instanceof CheckInRecorded checkIn && !checkIn.erased() && checkIn.partnerPersonId() != null
                && checkIn.content().visibility().sharedWithPartner()) {
            return List.of(shared(checkIn.entryId(), checkIn.coupleId(), checkIn.authorPersonId(), checkIn.partnerPersonId(),
                    checkIn.occurredAt(), checkIn.content().visibility().counselorMaySee()));
        }
        if (payload instanceof CheckInAmended amended && !amended.erased() && amended.newlyShared()) {
            return List.of(shared(amended.entryId(), amended.coupleId(), amended.authorPersonId(), amended.partnerPersonId(),
                    amended.occurredAt(), amended.content().visibility().counselorMaySee()));
        }
        if (payload instanceof WeeklyReviewRecorded review && !review.erased() && review.partnerPersonId() != null
                && review.content().visibility().sharedWithPartner()) {
            // that it was shared, never its scores or note: a consumer allowed to see them asks the journal
            return List.of(new IntegrationEvent(review.coupleId(), review.authorPersonId(), WeeklyReviewShared.newBuilder()
                    .setEntryId(review.entryId())
                    .setCoupleId(review.coupleId())
                    .setAuthorPersonId(review.authorPersonId())
                    .setPartnerPersonId(review.partnerPersonId())
                    .setOccurredAt(Timestamps.of(review.occurredAt()))
                    .setCounselorMaySee(review.content().visibility().counselorMaySee())
                    .build()));
        }
        if (payload instanceof UseRecorded use && use.use() != null && use.lapse() && use.disclosedIn() != null) {
            LapseDisclosed.Builder lapse = LapseDisclosed.newBuilder()
                    .setLapseId(use.useId()).setCoupleId(use.disclosedIn()).setPersonId(use.personId())
                    .setPartnerPersonId(use.partnerPersonId()).setOccurredAt(Timestamps.of(use.occurredAt()));
            if (use.checkInId() != null) {
                lapse.setCheckInId(use.checkInId());
            }
            return List.of(new IntegrationEvent(use.disclosedIn(), use.personId(), lapse.build()));
        }
        if (payload instanceof ProgressEvents.MilestoneReached milestone) {
            MilestoneReached.Builder reached = MilestoneReached.newBuilder()
                    .setMilestoneId(milestone.milestoneId()).setPersonId(milestone.personId())
                    .setSharedWithPartner(milestone.sharedWithPartner()).setReachedAt(Timestamps.of(milestone.reachedAt()));
            if (milestone.coupleId() != null) {
                reached.setCoupleId(milestone.coupleId());
            }
            // the partner is only named when the person shares their progress with them
            if (milestone.sharedWithPartner()) {
                reached.setPartnerPersonId(milestone.partnerPersonId());
            }
            return List.of(new IntegrationEvent(milestone.coupleId(), milestone.personId(), reached.build()));
        }
        return List.of();
    }

    private static IntegrationEvent shared(String entryId, String coupleId, String author, String partner, Instant occurredAt,
                                           boolean counselorMaySee) {
        return new IntegrationEvent(coupleId, author, CheckInShared.newBuilder()
                .setCheckInId(entryId)
                .setCoupleId(coupleId)
                .setAuthorPersonId(author)
                .setPartnerPersonId(partner)
                .setOccurredAt(Timestamps.of(occurredAt))
                .setCounselorMaySee(counselorMaySee)
                .build());
    }
}
