package app.tandem.care.feed;

import app.tandem.care.consent.ConsentRegister;
import app.tandem.care.consent.ConsentRegister.InForce;
import app.tandem.events.v1.CheckInShared;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.events.v1.LapseDisclosed;
import app.tandem.events.v1.MilestoneReached;
import app.tandem.events.v1.SupportRequested;
import app.tandem.events.v1.WeeklyReviewShared;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.kafka.IntegrationEventHandler;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Puts each new item of a partner's own record into the feed of every counselor whose consent in force discloses it.
 * The other partner's items never enter on the strength of one partner's consent: an item goes only to the consents
 * its author gave. An item is keyed by its event and consent, so a redelivered event adds nothing.
 */
@Component
public class CareIntake implements IntegrationEventHandler {

    public static final String JOURNAL_TOPIC = "tandem.journal.v1";

    private final ConsentRegister register;
    private final CareFeed feed;
    private final Clock clock;

    public CareIntake(ConsentRegister register, CareFeed feed, Clock clock) {
        this.register = register;
        this.feed = feed;
        this.clock = clock;
    }

    @Override
    public Set<String> topics() {
        return Set.of(JOURNAL_TOPIC);
    }

    @Override
    public void handle(EventEnvelope envelope) {
        Optional<CareItem> item;
        try {
            item = itemOf(envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed " + envelope.getEventType(), e);
        }
        if (item.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Instant stored = Timestamps.toInstant(envelope.getOccurredAt());
        for (InForce consent : register.inForceFor(item.get().patientPersonId(), now)) {
            // a consent discloses what happens from its signature on, however late the event is read
            if (!stored.isBefore(consent.since()) && item.get().disclosedUnder(consent.terms())) {
                feed.append(consent.terms().counselorPersonId(), envelope.getEventId(), consent.consentId(), consent.version(), item.get());
            }
        }
    }

    static Optional<CareItem> itemOf(Any payload) throws InvalidProtocolBufferException {
        if (payload.is(CheckInShared.class)) {
            CheckInShared shared = payload.unpack(CheckInShared.class);
            return Optional.of(entry(CareItem.Kind.CHECK_IN, shared.getCheckInId(), shared.getAuthorPersonId(),
                    Timestamps.toInstant(shared.getOccurredAt()), shared.getCounselorMaySee()));
        }
        if (payload.is(WeeklyReviewShared.class)) {
            WeeklyReviewShared shared = payload.unpack(WeeklyReviewShared.class);
            return Optional.of(entry(CareItem.Kind.WEEKLY_REVIEW, shared.getEntryId(), shared.getAuthorPersonId(),
                    Timestamps.toInstant(shared.getOccurredAt()), shared.getCounselorMaySee()));
        }
        if (payload.is(LapseDisclosed.class)) {
            LapseDisclosed lapse = payload.unpack(LapseDisclosed.class);
            return Optional.of(item(CareItem.Kind.LAPSE, lapse.getLapseId(), lapse.getPersonId(), Timestamps.toInstant(lapse.getOccurredAt())));
        }
        if (payload.is(MilestoneReached.class)) {
            MilestoneReached milestone = payload.unpack(MilestoneReached.class);
            return Optional.of(item(CareItem.Kind.MILESTONE, milestone.getMilestoneId(), milestone.getPersonId(),
                    Timestamps.toInstant(milestone.getReachedAt())));
        }
        if (payload.is(SupportRequested.class)) {
            SupportRequested request = payload.unpack(SupportRequested.class);
            return Optional.of(item(CareItem.Kind.SUPPORT_REQUEST, request.getRequestId(), request.getPersonId(),
                    Timestamps.toInstant(request.getRequestedAt())));
        }
        return Optional.empty();
    }

    private static CareItem entry(CareItem.Kind kind, String entryId, String author, Instant occurredAt, boolean marked) {
        return new CareItem(kind, entryId, author, occurredAt, marked);
    }

    /** An item whose facts, if it has any, the journal gives when it is disclosed. */
    private static CareItem item(CareItem.Kind kind, String itemId, String person, Instant occurredAt) {
        return new CareItem(kind, itemId, person, occurredAt, false);
    }
}
