package app.tandem.plans.victory;

import app.tandem.plans.victory.VictoryCommands.AcknowledgeVictory;
import app.tandem.plans.victory.VictoryCommands.Kind;
import app.tandem.plans.victory.VictoryCommands.Reaction;
import app.tandem.plans.victory.VictoryCommands.RecordVictory;
import app.tandem.plans.victory.VictoryEvents.VictoryAcknowledged;
import app.tandem.plans.victory.VictoryEvents.VictoryRecorded;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class VictoryTest {

    private static final Instant NOW = Instant.parse("2026-12-01T18:00:00Z");

    private AggregateTestFixture<Victory> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Victory.class);
    }

    private static VictoryRecorded recorded(boolean shared) {
        return new VictoryRecorded("v1", "couple", "alex", "sam", Kind.MEETING_ATTENDED, "", shared, NOW);
    }

    @Test
    void aVictoryOfAKindFromTheListNeedsNoText() {
        fixture.givenNoPriorActivity()
                .when(new RecordVictory("v1", "couple", "alex", "sam", Kind.MEETING_ATTENDED, "", true, NOW))
                .expectEvents(recorded(true));
    }

    @Test
    void aVictoryOfAnotherKindIsInTheAuthorsOwnWords() {
        fixture.givenNoPriorActivity()
                .when(new RecordVictory("v1", "couple", "alex", "sam", Kind.OTHER, "", true, NOW))
                .expectException(InvalidInput.class)
                .expectNoEvents();
    }

    @Test
    void aPrivateVictoryIsTheAuthorsAlone() {
        fixture.given(recorded(false))
                .when(new AcknowledgeVictory("v1", "sam", Reaction.WELL_DONE, NOW))
                .expectException(AccessDenied.class)
                .expectNoEvents();
    }

    @Test
    void thePartnerAcknowledgesASharedVictoryWithAReaction() {
        fixture.given(recorded(true))
                .when(new AcknowledgeVictory("v1", "sam", Reaction.PROUD_OF_YOU, NOW))
                .expectEvents(new VictoryAcknowledged("v1", "couple", "sam", "alex", Reaction.PROUD_OF_YOU, NOW))
                .expectState(v -> assertThat(v.view().reaction()).isEqualTo(Reaction.PROUD_OF_YOU));
    }

    @Test
    void nobodyAcknowledgesTheirOwnVictoryAndStrangersNone() {
        fixture.given(recorded(true)).when(new AcknowledgeVictory("v1", "alex", Reaction.WELL_DONE, NOW)).expectException(AccessDenied.class);
        fixture.given(recorded(true)).when(new AcknowledgeVictory("v1", "robin", Reaction.WELL_DONE, NOW)).expectException(AccessDenied.class);
    }

    @Test
    void aVictoryIsAcknowledgedOnceAndARetryChangesNothing() {
        VictoryAcknowledged acknowledged = new VictoryAcknowledged("v1", "couple", "sam", "alex", Reaction.THANK_YOU, NOW);
        fixture.given(recorded(true), acknowledged)
                .when(new AcknowledgeVictory("v1", "sam", Reaction.THANK_YOU, NOW)).expectNoEvents()
                .expectState(v -> assertThat(v.visibleTo("sam")).isTrue());
        fixture.given(recorded(true), acknowledged)
                .when(new AcknowledgeVictory("v1", "sam", Reaction.WITH_YOU, NOW)).expectException(RuleViolation.class);
    }
}
