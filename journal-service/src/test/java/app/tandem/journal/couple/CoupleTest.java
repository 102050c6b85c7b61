package app.tandem.journal.couple;

import app.tandem.journal.couple.CoupleCommands.CreateCouple;
import app.tandem.journal.couple.CoupleCommands.JoinCouple;
import app.tandem.journal.couple.CoupleEvents.CoupleCreated;
import app.tandem.journal.couple.CoupleEvents.PartnerJoined;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

class CoupleTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant EXPIRES = NOW.plus(Duration.ofDays(7));
    private static final String HASH = InviteCodes.hash("ABCDEFGHJK");

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
                .when(new JoinCouple("c1", "sam", InviteCodes.hash("ZZZZZZZZZZ"), NOW))
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
}
