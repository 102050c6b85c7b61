package app.tandem.journal.couple;

import app.tandem.platform.crypto.InviteCodes;
import app.tandem.journal.couple.CoupleCommands.CreateCouple;
import app.tandem.journal.couple.CoupleCommands.JoinCouple;
import app.tandem.journal.couple.CoupleCommands.LeaveCouple;
import app.tandem.journal.couple.CoupleCommands.NoteJournalActivity;
import app.tandem.journal.couple.CoupleCommands.RequestSupport;
import app.tandem.journal.couple.CoupleEvents.CoupleMilestoneReached;
import app.tandem.journal.couple.CoupleEvents.PartnerLeft;
import app.tandem.journal.couple.CoupleEvents.SupportRequested;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.journal.couple.CoupleEvents.CoupleCreated;
import app.tandem.journal.couple.CoupleEvents.PartnerJoined;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CoupleTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant EXPIRES = NOW.plus(Duration.ofDays(7));
    private static final InviteCodes CODES = new InviteCodes(new byte[32], "invite");
    private static final String HASH = CODES.hash("ABCDEFGHJK");

    private AggregateTestFixture<Couple> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Couple.class);
    }

    private CoupleCreated created() {
        return new CoupleCreated("c1", "alex", HASH, EXPIRES, NOW);
    }

    @Test
    void creatingACoupleMakesTheFounderAPartnerWithAnOpenInvite() {
        fixture.givenNoPriorActivity()
                .when(new CreateCouple("c1", "alex", HASH, EXPIRES, NOW))
                .expectSuccessfulHandlerExecution()
                .expectEvents(created());
    }

    @Test
    void theInviteeJoinsWithTheOpenInvite() {
        fixture.given(created())
                .when(new JoinCouple("c1", "sam", HASH, NOW.plusSeconds(60)))
                .expectEvents(new PartnerJoined("c1", "sam", HASH, NOW.plusSeconds(60)));
    }

    @Test
    void anExpiredInviteIsRefused() {
        fixture.given(created())
                .when(new JoinCouple("c1", "sam", HASH, EXPIRES))
                .expectException(RuleViolation.class)
                .expectExceptionMessage("this invite code has expired")
                .expectNoEvents();
    }

    @Test
    void anInviteWorksOnlyOnce() {
        fixture.given(created(), new PartnerJoined("c1", "sam", HASH, NOW))
                .when(new JoinCouple("c1", "robin", HASH, NOW.plusSeconds(5)))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void aWrongCodeIsRefused() {
        fixture.given(created())
                .when(new JoinCouple("c1", "sam", CODES.hash("ZZZZZZZZZZ"), NOW))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void joiningAgainChangesNothing() {
        fixture.given(created(), new PartnerJoined("c1", "sam", HASH, NOW))
                .when(new JoinCouple("c1", "sam", HASH, NOW.plusSeconds(5)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void theFounderJoiningTheirOwnCoupleChangesNothing() {
        fixture.given(created())
                .when(new JoinCouple("c1", "alex", HASH, NOW))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    private PartnerJoined joined() {
        return new PartnerJoined("c1", "sam", HASH, NOW);
    }

    @Test
    void aPartnerLeavesSilentlyAndTheOtherStays() {
        fixture.given(created(), joined())
                .when(new LeaveCouple("c1", "sam", NOW.plusSeconds(60)))
                .expectEvents(new PartnerLeft("c1", "sam", "alex", NOW.plusSeconds(60)));
    }

    @Test
    void leavingAgainChangesNothingAndAStrangerCannotLeave() {
        fixture.given(created(), joined(), new PartnerLeft("c1", "sam", "alex", NOW))
                .when(new LeaveCouple("c1", "sam", NOW.plusSeconds(5)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(created(), joined())
                .when(new LeaveCouple("c1", "robin", NOW))
                .expectException(AccessDenied.class)
                .expectNoEvents();
    }

    @Test
    void aDissolvedCoupleTakesNoNewPartnerAndNoEntries() {
        fixture.given(created(), new PartnerLeft("c1", "alex", null, NOW))
                .when(new JoinCouple("c1", "sam", HASH, NOW.plusSeconds(5)))
                .expectException(RuleViolation.class)
                .expectNoEvents();
        fixture.given(created(), joined(), new PartnerLeft("c1", "sam", "alex", NOW))
                .when(new RequestSupport("c1", "alex", "s1", NOW))
                .expectException(RuleViolation.class)
                .expectExceptionMessage("this journal is no longer shared");
    }

    @Test
    void aPartnerAsksForSupportOncePerRequest() {
        fixture.given(created(), joined())
                .when(new RequestSupport("c1", "alex", "s1", NOW))
                .expectEvents(new SupportRequested("s1", "c1", "alex", "sam", NOW));
        fixture.given(created(), joined(), new SupportRequested("s1", "c1", "alex", "sam", NOW))
                .when(new RequestSupport("c1", "alex", "s1", NOW))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void supportNeedsAPartnerToAsk() {
        fixture.given(created())
                .when(new RequestSupport("c1", "alex", "s1", NOW))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void theCoupleCelebratesTheirDaysTogetherEachMilestoneOnce() {
        Instant weekLater = NOW.plus(Duration.ofDays(7)).plusSeconds(1);
        fixture.given(created(), joined())
                .when(new NoteJournalActivity("c1", weekLater))
                .expectEvents(new CoupleMilestoneReached("c1", 7, List.of("alex", "sam"), weekLater));
        fixture.given(created(), joined(), new CoupleMilestoneReached("c1", 7, List.of("alex", "sam"), weekLater))
                .when(new NoteJournalActivity("c1", weekLater.plusSeconds(3600)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aCoupleNotYetTogetherCelebratesNothing() {
        fixture.given(created())
                .when(new NoteJournalActivity("c1", NOW.plus(Duration.ofDays(30))))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void whoIsInTheCoupleFollowsItsStoredEventsAndALeaveIsFinal() {
        PartnerLeft left = new PartnerLeft("c1", "sam", "alex", NOW.plusSeconds(120));
        fixture.given(created(), joined(), left)
                .when(new LeaveCouple("c1", "sam", NOW.plusSeconds(180)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectState(couple -> {
                    CoupleDirectory.CoupleEntry entry = couple.entry();
                    assertThat(entry.shared()).isFalse();
                    assertThat(entry.isPartner("sam")).isFalse();
                    assertThat(entry.isOrWasPartner("sam")).isTrue();
                    assertThat(entry.isPartner("alex")).isTrue();
                    assertThat(entry.founderPersonId()).isEqualTo("alex");
                    assertThat(entry.createdAt()).isEqualTo(NOW);
                    assertThat(entry.inviteExpiresAt()).isEqualTo(EXPIRES);
                });
    }
}
