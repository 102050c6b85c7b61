package app.tandem.plans.boundary;

import app.tandem.plans.boundary.BoundaryCommands.AcceptBoundary;
import app.tandem.plans.boundary.BoundaryCommands.Category;
import app.tandem.plans.boundary.BoundaryCommands.DeclineBoundary;
import app.tandem.plans.boundary.BoundaryCommands.PauseBoundary;
import app.tandem.plans.boundary.BoundaryCommands.ProposeBoundary;
import app.tandem.plans.boundary.BoundaryCommands.ReachReviewDate;
import app.tandem.plans.boundary.BoundaryCommands.ReportBoundary;
import app.tandem.plans.boundary.BoundaryCommands.ResumeBoundary;
import app.tandem.plans.boundary.BoundaryCommands.RetireBoundary;
import app.tandem.plans.boundary.BoundaryCommands.ReviseBoundary;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryAccepted;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryDeclined;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryPaused;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryProposed;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryReported;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryResumed;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryRetired;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryReviewDue;
import app.tandem.plans.boundary.BoundaryEvents.BoundaryRevised;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BoundaryTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant LATER = NOW.plusSeconds(3600);
    private static final Instant REVIEW = NOW.plusSeconds(30L * 24 * 3600);

    private AggregateTestFixture<Boundary> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Boundary.class);
    }

    private static BoundaryProposed proposed() {
        return new BoundaryProposed("b1", "c1", 1, "alex", "sam", "pdc1:v1", Category.MONEY, List.of("alex", "sam"), REVIEW, NOW);
    }

    private static BoundaryAccepted accepted(int version) {
        return new BoundaryAccepted("b1", "c1", version, "sam", "alex", NOW);
    }

    @Test
    void aProposalAwaitsThePartnersAnswer() {
        fixture.givenNoPriorActivity()
                .when(new ProposeBoundary("b1", "c1", List.of("alex", "sam"), "pdc1:v1", Category.MONEY, List.of("alex", "sam"), REVIEW, NOW))
                .expectEvents(proposed())
                .expectState(b -> assertThat(b.view().state()).isEqualTo(BoundaryState.PROPOSED));
    }

    @Test
    void aProposalWithoutTextOrForSomeoneOutsideTheCoupleIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new ProposeBoundary("b1", "c1", List.of("alex", "sam"), "", Category.MONEY, List.of("robin"), null, NOW))
                .expectException(InvalidInput.class)
                .expectNoEvents();
    }

    @Test
    void theOtherPartnerAccepts() {
        fixture.given(proposed())
                .when(new AcceptBoundary("b1", "sam", 1, NOW))
                .expectEvents(accepted(1))
                .expectState(b -> assertThat(b.view().state()).isEqualTo(BoundaryState.ACTIVE));
    }

    @Test
    void theProposerCannotAcceptTheirOwnProposal() {
        fixture.given(proposed())
                .when(new AcceptBoundary("b1", "alex", 1, NOW))
                .expectException(AccessDenied.class)
                .expectNoEvents();
    }

    @Test
    void theProposerCannotDeclineTheirOwnProposalEither() {
        fixture.given(proposed())
                .when(new DeclineBoundary("b1", "alex", 1, NOW))
                .expectException(AccessDenied.class)
                .expectNoEvents();
    }

    @Test
    void someoneOutsideTheCoupleCannotAnswer() {
        fixture.given(proposed())
                .when(new AcceptBoundary("b1", "robin", 1, NOW))
                .expectException(AccessDenied.class)
                .expectNoEvents();
    }

    @Test
    void theOtherPartnerDeclines() {
        fixture.given(proposed())
                .when(new DeclineBoundary("b1", "sam", 1, NOW))
                .expectEvents(new BoundaryDeclined("b1", "c1", 1, "sam", "alex", NOW))
                .expectState(b -> assertThat(b.view().state()).isEqualTo(BoundaryState.DECLINED));
    }

    @Test
    void acceptingAgainChangesNothingButAcceptingADeclinedVersionIsRefused() {
        fixture.given(proposed(), accepted(1))
                .when(new AcceptBoundary("b1", "sam", 1, LATER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(proposed(), new BoundaryDeclined("b1", "c1", 1, "sam", "alex", NOW))
                .when(new AcceptBoundary("b1", "sam", 1, LATER))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void anAnswerToAVersionThatIsNoLongerCurrentIsRefused() {
        fixture.given(proposed(), revised(2, "sam", "alex", "k1"))
                .when(new AcceptBoundary("b1", "sam", 1, LATER))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }

    private static BoundaryRevised revised(int version, String by, String partner, String key) {
        return new BoundaryRevised("b1", "c1", version, by, partner, "pdc1:v" + version, Category.MONEY, List.of("alex"), null, key, LATER);
    }

    @Test
    void aRevisionResetsAcceptanceAndNeedsTheOtherPartnerAgain() {
        fixture.given(proposed(), accepted(1))
                .when(new ReviseBoundary("b1", "sam", "k1", 1, "pdc1:v2", Category.MONEY, List.of("alex"), null, LATER))
                .expectEvents(revised(2, "sam", "alex", "k1"))
                .expectState(b -> {
                    BoundaryView view = b.view();
                    assertThat(view.state()).isEqualTo(BoundaryState.PROPOSED);
                    assertThat(view.acceptedAt()).isNull();
                    assertThat(view.versions()).extracting(BoundaryView.Version::version).containsExactly(1, 2);
                    assertThat(view.versions().get(0).outcome()).isEqualTo(BoundaryView.Outcome.ACCEPTED);
                    assertThat(view.versions().get(0).encryptedText()).isEqualTo("pdc1:v1");
                });
    }

    @Test
    void aRevisionByTheOtherPartnerIsAnsweredByTheOriginalProposer() {
        fixture.given(proposed(), accepted(1), revised(2, "sam", "alex", "k1"))
                .when(new AcceptBoundary("b1", "sam", 2, LATER))
                .expectException(AccessDenied.class)
                .expectNoEvents();
        fixture.given(proposed(), accepted(1), revised(2, "sam", "alex", "k1"))
                .when(new AcceptBoundary("b1", "alex", 2, LATER))
                .expectEvents(new BoundaryAccepted("b1", "c1", 2, "alex", "sam", LATER));
    }

    @Test
    void aRevisionOfAnUnansweredVersionWithdrawsIt() {
        fixture.given(proposed(), revised(2, "alex", "sam", "k1"))
                .when(new AcceptBoundary("b1", "sam", 2, LATER))
                .expectEvents(new BoundaryAccepted("b1", "c1", 2, "sam", "alex", LATER))
                .expectState(b -> assertThat(b.view().versions()).extracting(BoundaryView.Version::outcome)
                        .containsExactly(BoundaryView.Outcome.WITHDRAWN, BoundaryView.Outcome.ACCEPTED));
    }

    @Test
    void aRetriedRevisionIsRecordedOnce() {
        fixture.given(proposed(), accepted(1), revised(2, "sam", "alex", "k1"))
                .when(new ReviseBoundary("b1", "sam", "k1", 1, "pdc1:again", Category.MONEY, List.of("alex"), null, LATER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aRevisionOfAStaleVersionIsRefused() {
        fixture.given(proposed(), accepted(1), revised(2, "sam", "alex", "k1"))
                .when(new ReviseBoundary("b1", "alex", "k2", 1, "pdc1:v3", Category.MONEY, List.of("alex"), null, LATER))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void eitherPartnerPausesAndResumesABoundaryInForce() {
        fixture.given(proposed(), accepted(1))
                .when(new PauseBoundary("b1", "alex", LATER))
                .expectEvents(new BoundaryPaused("b1", "c1", "alex", LATER));
        fixture.given(proposed(), accepted(1), new BoundaryPaused("b1", "c1", "alex", LATER))
                .when(new ResumeBoundary("b1", "sam", LATER))
                .expectEvents(new BoundaryResumed("b1", "c1", "sam", LATER));
    }

    @Test
    void onlyABoundaryInForceCanBePausedAndOnlyAPausedOneResumed() {
        fixture.given(proposed())
                .when(new PauseBoundary("b1", "alex", LATER))
                .expectException(RuleViolation.class)
                .expectNoEvents();
        fixture.given(proposed())
                .when(new ResumeBoundary("b1", "alex", LATER))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void aRetiredBoundaryCannotBeRevisedOrAnswered() {
        fixture.given(proposed(), new BoundaryRetired("b1", "c1", "sam", LATER))
                .when(new ReviseBoundary("b1", "alex", "k9", 1, "pdc1:v2", Category.MONEY, List.of("alex"), null, LATER))
                .expectException(RuleViolation.class)
                .expectNoEvents();
        fixture.given(proposed(), new BoundaryRetired("b1", "c1", "sam", LATER))
                .when(new AcceptBoundary("b1", "sam", 1, LATER))
                .expectException(RuleViolation.class)
                .expectNoEvents();
        fixture.given(proposed(), new BoundaryRetired("b1", "c1", "sam", LATER))
                .when(new RetireBoundary("b1", "alex", LATER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aCrossingReportedWhileInForceCountsOncePerCheckIn() {
        fixture.given(proposed(), accepted(1))
                .when(new ReportBoundary("b1", "c1", "ci1", "sam", false, LATER))
                .expectEvents(new BoundaryReported("b1", "c1", 1, "ci1", "sam", "alex", false, true, Category.MONEY, 0, 1, LATER));
        fixture.given(proposed(), accepted(1),
                        new BoundaryReported("b1", "c1", 1, "ci1", "sam", "alex", false, true, Category.MONEY, 0, 1, LATER))
                .when(new ReportBoundary("b1", "c1", "ci1", "sam", false, LATER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anAmendedCheckInMovesItsReportFromCrossedToKept() {
        fixture.given(proposed(), accepted(1),
                        new BoundaryReported("b1", "c1", 1, "ci1", "sam", "alex", false, true, Category.MONEY, 0, 1, LATER),
                        new BoundaryReported("b1", "c1", 1, "ci2", "alex", "sam", true, true, Category.MONEY, 1, 1, LATER))
                .when(new ReportBoundary("b1", "c1", "ci1", "sam", true, LATER))
                .expectEvents(new BoundaryReported("b1", "c1", 1, "ci1", "sam", "alex", true, true, Category.MONEY, 2, 0, LATER));
    }

    @Test
    void aReportWhileNotInForceIsRecordedButNotCounted() {
        fixture.given(proposed(), accepted(1), new BoundaryPaused("b1", "c1", "alex", LATER))
                .when(new ReportBoundary("b1", "c1", "ci1", "sam", false, LATER))
                .expectEvents(new BoundaryReported("b1", "c1", 1, "ci1", "sam", "alex", false, false, Category.MONEY, 0, 0, LATER));
    }

    @Test
    void aReportFromAnotherCoupleOrAStrangerIsIgnored() {
        fixture.given(proposed(), accepted(1))
                .when(new ReportBoundary("b1", "c2", "ci1", "sam", false, LATER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(proposed(), accepted(1))
                .when(new ReportBoundary("b1", "c1", "ci1", "robin", false, LATER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void onItsReviewDateABoundaryInForceAsksBothPartnersOnce() {
        Instant due = REVIEW.plusSeconds(1);
        fixture.given(proposed(), accepted(1))
                .when(new ReachReviewDate("b1", 1, due))
                .expectEvents(new BoundaryReviewDue("b1", "c1", 1, List.of("alex", "sam"), REVIEW, due));
        fixture.given(proposed(), accepted(1), new BoundaryReviewDue("b1", "c1", 1, List.of("alex", "sam"), REVIEW, due))
                .when(new ReachReviewDate("b1", 1, due.plusSeconds(60)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aReviewDateIsNotDueEarlyNorForARevisedRetiredOrUnansweredVersion() {
        fixture.given(proposed(), accepted(1))
                .when(new ReachReviewDate("b1", 1, REVIEW.minusSeconds(1)))
                .expectNoEvents();
        fixture.given(proposed(), accepted(1), revised(2, "sam", "alex", "k1"))
                .when(new ReachReviewDate("b1", 1, REVIEW.plusSeconds(1)))
                .expectNoEvents();
        fixture.given(proposed(), accepted(1), new BoundaryRetired("b1", "c1", "sam", LATER))
                .when(new ReachReviewDate("b1", 1, REVIEW.plusSeconds(1)))
                .expectNoEvents();
        fixture.given(proposed())
                .when(new ReachReviewDate("b1", 1, REVIEW.plusSeconds(1)))
                .expectNoEvents();
    }
}
