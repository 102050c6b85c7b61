package app.tandem.journal.couple;

import app.tandem.journal.couple.CoupleCommands.CreateCouple;
import app.tandem.journal.couple.CoupleCommands.JoinCouple;
import app.tandem.journal.couple.CoupleEvents.CoupleCreated;
import app.tandem.journal.couple.CoupleEvents.PartnerJoined;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * Two partners who keep one journal. Neither is "the patient": the founder only sent the invite.
 * An invite is single use and expires; only its hash is ever stored.
 */
@Aggregate
public class Couple {

    public static final int MAX_PARTNERS = 2;

    @AggregateIdentifier
    private String coupleId;
    private final List<String> partners = new ArrayList<>();
    private String openInviteHash;
    private java.time.Instant inviteExpiresAt;

    protected Couple() {
        // for Axon
    }

    @CommandHandler
    public Couple(CreateCouple command) {
        apply(new CoupleCreated(command.coupleId(), command.founderPersonId(), command.inviteCodeHash(),
                command.inviteExpiresAt(), command.now()));
    }

    @CommandHandler
    public void handle(JoinCouple command) {
        if (partners.contains(command.personId())) {
            return; // already in: joining again changes nothing
        }
        if (openInviteHash == null || !openInviteHash.equals(command.inviteCodeHash())) {
            throw new RuleViolation("this invite code has already been used");
        }
        if (!command.now().isBefore(inviteExpiresAt)) {
            throw new RuleViolation("this invite code has expired");
        }
        if (partners.size() >= MAX_PARTNERS) {
            throw new RuleViolation("this couple already has two partners");
        }
        apply(new PartnerJoined(coupleId, command.personId(), command.inviteCodeHash(), command.now()));
    }

    /** The other partner of {@code personId}, if they have one yet. */
    public Optional<String> partnerOf(String personId) {
        requireMember(personId);
        return partners.stream().filter(p -> !p.equals(personId)).findFirst();
    }

    public void requireMember(String personId) {
        if (!partners.contains(personId)) {
            throw new AccessDenied("not a partner in this couple");
        }
    }

    @EventSourcingHandler
    void on(CoupleCreated event) {
        coupleId = event.coupleId();
        partners.add(event.founderPersonId());
        openInviteHash = event.inviteCodeHash();
        inviteExpiresAt = event.inviteExpiresAt();
    }

    @EventSourcingHandler
    void on(PartnerJoined event) {
        partners.add(event.personId());
        openInviteHash = null;
    }
}
