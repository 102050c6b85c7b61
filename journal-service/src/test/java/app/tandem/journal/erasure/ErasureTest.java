package app.tandem.journal.erasure;

import app.tandem.journal.erasure.ErasureCommands.ConfirmErasure;
import app.tandem.journal.erasure.ErasureCommands.RequestErasure;
import app.tandem.journal.erasure.ErasureEvents.ErasureCompleted;
import app.tandem.journal.erasure.ErasureEvents.ErasureRequested;
import app.tandem.journal.erasure.ErasureEvents.ServiceErased;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

class ErasureTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Set<String> SERVICES = Set.of("journal-service", "plans-service");

    private AggregateTestFixture<Erasure> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Erasure.class);
    }

    private static ErasureRequested requested(int round, String reference) {
        return new ErasureRequested("e1", "alex", round, SERVICES, reference, NOW);
    }

    @Test
    void aRequestStartsTheFirstRoundForEveryService() {
        fixture.givenNoPriorActivity()
                .when(new RequestErasure("e1", "alex", SERVICES, null, NOW))
                .expectEvents(requested(1, null));
    }

    @Test
    void anOperatorsRequestKeepsItsReference() {
        fixture.givenNoPriorActivity()
                .when(new RequestErasure("e1", "alex", SERVICES, "case 42", NOW))
                .expectEvents(requested(1, "case 42"));
    }

    @Test
    void aSecondRequestWhileARoundRunsIsTheSameErasure() {
        fixture.given(requested(1, null))
                .when(new RequestErasure("e1", "alex", SERVICES, null, NOW))
                .expectNoEvents();
    }

    @Test
    void theErasureCompletesWhenTheLastServiceConfirms() {
        fixture.given(requested(1, null), new ServiceErased("e1", 1, "plans-service", NOW))
                .when(new ConfirmErasure("e1", 1, "journal-service", NOW))
                .expectEvents(new ServiceErased("e1", 1, "journal-service", NOW), new ErasureCompleted("e1", 1, NOW));
    }

    @Test
    void aRedeliveredConfirmationChangesNothing() {
        fixture.given(requested(1, null), new ServiceErased("e1", 1, "plans-service", NOW))
                .when(new ConfirmErasure("e1", 1, "plans-service", NOW))
                .expectNoEvents();
    }

    @Test
    void aServiceNotAskedCannotConfirm() {
        fixture.given(requested(1, null))
                .when(new ConfirmErasure("e1", 1, "someone-else", NOW))
                .expectNoEvents();
    }

    @Test
    void aConfirmationOfAnEarlierRoundDoesNotCountForTheNext() {
        fixture.given(requested(1, null), new ServiceErased("e1", 1, "plans-service", NOW),
                        new ServiceErased("e1", 1, "journal-service", NOW), new ErasureCompleted("e1", 1, NOW), requested(2, null))
                .when(new ConfirmErasure("e1", 1, "plans-service", NOW))
                .expectNoEvents();
    }

    @Test
    void aPersonWhoCameBackAndAsksAgainStartsTheNextRound() {
        fixture.given(requested(1, null), new ServiceErased("e1", 1, "plans-service", NOW),
                        new ServiceErased("e1", 1, "journal-service", NOW), new ErasureCompleted("e1", 1, NOW))
                .when(new RequestErasure("e1", "alex", SERVICES, null, NOW))
                .expectEvents(requested(2, null));
    }
}
