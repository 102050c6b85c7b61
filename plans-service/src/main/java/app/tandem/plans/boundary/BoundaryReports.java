package app.tandem.plans.boundary;

import app.tandem.events.v1.CheckInShared;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.internal.v1.SharedCheckIn;
import app.tandem.plans.boundary.BoundaryCommands.ReportBoundary;
import app.tandem.plans.membership.CouplePartners;
import app.tandem.platform.grpc.JournalFacts;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.kafka.IntegrationEventHandler;
import com.google.protobuf.InvalidProtocolBufferException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Shared check-ins that report boundaries kept or crossed update those boundaries. Which ones is asked of the journal
 * (the event carries no fact): a check-in retracted, no longer shared or whose author was erased reports nothing. The
 * boundary itself ignores a report it already has (per check-in), so a redelivered event changes nothing. Ids that
 * are not boundaries of this couple are skipped: a check-in cannot touch another couple's boundary.
 */
@Component
public class BoundaryReports implements IntegrationEventHandler {

    private static final Logger log = LoggerFactory.getLogger(BoundaryReports.class);

    private final CommandGateway commands;
    private final JournalFacts journal;

    public BoundaryReports(CommandGateway commands, JournalFacts journal) {
        this.commands = commands;
        this.journal = journal;
    }

    @Override
    public Set<String> topics() {
        return Set.of(CouplePartners.JOURNAL_TOPIC);
    }

    @Override
    public void handle(EventEnvelope envelope) {
        if (!envelope.getPayload().is(CheckInShared.class)) {
            return;
        }
        CheckInShared checkIn;
        try {
            checkIn = envelope.getPayload().unpack(CheckInShared.class);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed " + envelope.getEventType(), e);
        }
        Optional<SharedCheckIn> facts = journal.sharedCheckIn(checkIn.getCheckInId());
        if (facts.isEmpty()) {
            return;
        }
        Instant reportedAt = checkIn.hasOccurredAt() ? Timestamps.toInstant(checkIn.getOccurredAt()) : Timestamps.toInstant(envelope.getOccurredAt());
        for (String boundaryId : facts.get().getBoundariesKeptList()) {
            report(checkIn, boundaryId, true, reportedAt);
        }
        for (String boundaryId : facts.get().getBoundariesCrossedList()) {
            report(checkIn, boundaryId, false, reportedAt);
        }
    }

    private void report(CheckInShared checkIn, String boundaryId, boolean kept, Instant reportedAt) {
        if (!isUuid(boundaryId)) {
            log.warn("check-in {} names {} which is not a boundary id", checkIn.getCheckInId(), boundaryId);
            return;
        }
        try {
            commands.sendAndWait(new ReportBoundary(boundaryId, checkIn.getCoupleId(), checkIn.getCheckInId(),
                    checkIn.getAuthorPersonId(), kept, reportedAt));
        } catch (AggregateNotFoundException unknown) {
            log.warn("check-in {} names boundary {} which does not exist", checkIn.getCheckInId(), boundaryId);
        }
    }

    private static boolean isUuid(String value) {
        try {
            return UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
