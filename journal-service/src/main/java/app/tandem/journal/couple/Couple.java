package app.tandem.journal.couple;

import app.tandem.journal.couple.CoupleCommands.CreateCouple;
import app.tandem.journal.couple.CoupleCommands.JoinCouple;
import app.tandem.journal.couple.CoupleCommands.LeaveCouple;
import app.tandem.journal.couple.CoupleCommands.NoteJournalActivity;
import app.tandem.journal.couple.CoupleCommands.RequestSupport;
import app.tandem.journal.couple.CoupleEvents.CoupleCreated;
import app.tandem.journal.couple.CoupleEvents.CoupleMilestoneReached;
import app.tandem.journal.couple.CoupleEvents.PartnerJoined;
import app.tandem.journal.couple.CoupleEvents.PartnerLeft;
import app.tandem.journal.couple.CoupleEvents.SupportRequested;
import app.tandem.journal.progress.Milestones;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * Two partners who keep one journal. Neither is "the patient": the founder only sent the invite.
 * An invite is single use and expires; only its hash is ever stored. Either partner may leave at any time,
 * without the other's consent; the journal is then no longer shared and takes no new entries.
 */
@Aggregate
public class Couple {

    public static final int MAX_PARTNERS = 2;

    @AggregateIdentifier
    private String coupleId;
    private final List<String> partners = new ArrayList<>();
    private final Set<String> formerPartners = new HashSet<>();
    private String founderPersonId;
    private Instant createdAt;
    private String openInviteHash;
    private Instant inviteExpiresAt;
    private boolean dissolved;
    private Instant togetherSince;
    private int coupleMilestonePassed;
    private final Set<String> supportRequests = new HashSet<>();

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
        if (dissolved) {
            throw new RuleViolation("this couple no longer exists");
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

    @CommandHandler
    public void handle(LeaveCouple command) {
        if (formerPartners.contains(command.personId())) {
            return; // a retry: already left
        }
        requireMember(command.personId());
        if (dissolved) {
            return; // already left: leaving again changes nothing
        }
        String remaining = partners.stream().filter(p -> !p.equals(command.personId())).findFirst().orElse(null);
        apply(new PartnerLeft(coupleId, command.personId(), remaining, command.now()));
    }

    @CommandHandler
    public void handle(RequestSupport command) {
        if (supportRequests.contains(command.requestId())) {
            return; // a retry: the partner was asked already
        }
        String partner = partnerOf(command.personId())
                .orElseThrow(() -> new RuleViolation("your partner has not joined yet"));
        apply(new SupportRequested(command.requestId(), coupleId, command.personId(), partner, command.now()));
    }

    /** Celebrates the days the couple has kept its journal together, each milestone once, dated by the day looked at. */
    @CommandHandler
    public void handle(NoteJournalActivity command) {
        if (dissolved || togetherSince == null || command.at().isBefore(togetherSince)) {
            return;
        }
        int days = (int) Duration.between(togetherSince, command.at()).toDays();
        Milestones.highestReached(coupleMilestonePassed, days).ifPresent(milestone ->
                apply(new CoupleMilestoneReached(coupleId, milestone, List.copyOf(partners), command.at())));
    }

    /**
     * The other partner of {@code personId} in a journal that is still shared, if they have one yet.
     * Denied to anyone who is not a partner; refused once the couple is dissolved.
     */
    public Optional<String> partnerOf(String personId) {
        requireMember(personId);
        if (dissolved) {
            throw new RuleViolation("this journal is no longer shared");
        }
        return partners.stream().filter(p -> !p.equals(personId)).findFirst();
    }

    /** Who is, and was, in this couple, as its stored events say: what access decisions follow. */
    public CoupleDirectory.CoupleEntry entry() {
        return new CoupleDirectory.CoupleEntry(coupleId, founderPersonId, List.copyOf(partners), List.copyOf(formerPartners),
                !dissolved, createdAt, inviteExpiresAt);
    }

    public void requireMember(String personId) {
        if (!partners.contains(personId)) {
            throw new AccessDenied("not a partner in this couple");
        }
    }

    @EventSourcingHandler
    void on(CoupleCreated event) {
        coupleId = event.coupleId();
        founderPersonId = event.founderPersonId();
        createdAt = event.createdAt();
        partners.add(event.founderPersonId());
        openInviteHash = event.inviteCodeHash();
        inviteExpiresAt = event.inviteExpiresAt();
    }

    @EventSourcingHandler
    void on(PartnerJoined event) {
        partners.add(event.personId());
        openInviteHash = null;
        togetherSince = event.joinedAt();
    }

    @EventSourcingHandler
    void on(PartnerLeft event) {
        // the leaver is no longer a partner; the one who stays keeps access to their own entries
        partners.remove(event.personId());
        formerPartners.add(event.personId());
        dissolved = true;
        openInviteHash = null;
    }

    @EventSourcingHandler
    void on(SupportRequested event) {
        supportRequests.add(event.requestId());
    }

    @EventSourcingHandler
    void on(CoupleMilestoneReached event) {
        coupleMilestonePassed = event.days();
    }
}
