package app.tandem.plans;

import app.tandem.api.v1.AcknowledgeSafetyPlanRequest;
import app.tandem.api.v1.Boundary;
import app.tandem.api.v1.BoundaryAppliesTo;
import app.tandem.api.v1.BoundaryCategory;
import app.tandem.api.v1.BoundaryState;
import app.tandem.api.v1.BoundaryVersionOutcome;
import app.tandem.api.v1.CompareSafetyPlanVersionsRequest;
import app.tandem.api.v1.CompleteRelapseResponseTaskRequest;
import app.tandem.api.v1.EditSafetyPlanSectionRequest;
import app.tandem.api.v1.GetBoundaryHistoryRequest;
import app.tandem.api.v1.GetSafetyPlanHistoryRequest;
import app.tandem.api.v1.GetSafetyPlanRequest;
import app.tandem.api.v1.ListBoundariesRequest;
import app.tandem.api.v1.ProposeBoundaryRequest;
import app.tandem.api.v1.RelapseResponseStep;
import app.tandem.api.v1.RelapseRole;
import app.tandem.api.v1.RelapseTimeframe;
import app.tandem.api.v1.RespondToBoundaryRequest;
import app.tandem.api.v1.ReviseBoundaryRequest;
import app.tandem.api.v1.SafetyPlan;
import app.tandem.api.v1.SafetyPlanChange;
import app.tandem.api.v1.SafetyPlanComparison;
import app.tandem.api.v1.SafetyPlanContact;
import app.tandem.api.v1.SafetyPlanSection;
import app.tandem.api.v1.SafetyPlanVersionStatus;
import app.tandem.events.v1.BoundaryCrossed;
import app.tandem.events.v1.BoundaryReviewDue;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.Visibility;
import app.tandem.events.v1.CheckInShared;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.platform.grpc.FieldViolations;
import app.tandem.platform.grpc.Timestamps;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static app.tandem.plans.PlansTestSupport.as;
import static app.tandem.plans.PlansTestSupport.key;
import static app.tandem.plans.PlansTestSupport.publishedFor;
import static app.tandem.plans.PlansTestSupport.publishedTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** plans-service on the embedded stack, over a real gRPC channel, with the journal's events arriving through Kafka. */
@ExtendWith(PlansTestSupport.RealJournal.Started.class)
class PlansServiceTest {

    private static final PlansTestSupport.TestClock CLOCK = new PlansTestSupport.TestClock(Instant.now());
    private static PlansTestSupport.Plans plans;
    private static PlansTestSupport.Journal journal;

    record Pair(String coupleId, String alex, String sam) {
    }

    private static Pair shared;

    @BeforeAll
    static void start() {
        plans = PlansTestSupport.Plans.start(PlansTestSupport.properties(), CLOCK);
        journal = new PlansTestSupport.Journal();
        shared = couple();
    }

    @AfterAll
    static void stop() {
        journal.close();
        plans.close();
    }

    private static Pair couple() {
        String alex = "alex-" + key();
        String sam = "sam-" + key();
        String coupleId = journal.couple(alex, sam, CLOCK.instant());
        plans.awaitCouple(coupleId, 2);
        return new Pair(coupleId, alex, sam);
    }

    private static Boundary propose(Pair pair, String text) {
        return plans.stub().withCallCredentials(as(pair.alex())).proposeBoundary(ProposeBoundaryRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(pair.coupleId()).setText(text)
                        .setCategory(BoundaryCategory.BOUNDARY_MONEY).setAppliesTo(BoundaryAppliesTo.BOUNDARY_APPLIES_TO_ME)
                        .setReviewAt(Timestamps.of(CLOCK.instant().plus(Duration.ofDays(30)))).build());
    }

    private static Boundary accept(String person, Boundary boundary) {
        return plans.stub().withCallCredentials(as(person)).acceptBoundary(RespondToBoundaryRequest.newBuilder().setIdempotencyKey(key()).setBoundaryId(boundary.getBoundaryId())
                        .setVersion(boundary.getVersion()).build());
    }

    private static List<Boundary> boundaries(Pair pair, String reader) {
        return plans.stub().withCallCredentials(as(reader)).listBoundaries(ListBoundariesRequest.newBuilder().setCoupleId(pair.coupleId()).build()).getBoundariesList();
    }

    private static Status.Code codeOf(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void aBoundaryIsAcceptedOnlyByTheOtherPartnerAndARevisionNeedsAcceptanceAgain() {
        Pair pair = couple();
        ProposeBoundaryRequest request = ProposeBoundaryRequest.newBuilder().setIdempotencyKey("same-key").setCoupleId(pair.coupleId())
                .setText("No cash withdrawals over 50 without talking first").setCategory(BoundaryCategory.BOUNDARY_MONEY)
                .setAppliesTo(BoundaryAppliesTo.BOUNDARY_APPLIES_TO_ME).build();
        Boundary proposed = plans.stub().withCallCredentials(as(pair.alex())).proposeBoundary(request);
        assertThat(plans.stub().withCallCredentials(as(pair.alex())).proposeBoundary(request)).isEqualTo(proposed);
        assertThat(proposed.getState()).isEqualTo(BoundaryState.BOUNDARY_PROPOSED);
        assertThat(proposed.getAppliesToPersonIdsList()).containsExactly(pair.alex());
        assertThat(proposed.getText()).isEqualTo("No cash withdrawals over 50 without talking first");

        assertThat(codeOf(() -> accept(pair.alex(), proposed))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> accept("stranger", proposed))).isEqualTo(Status.Code.NOT_FOUND);
        Boundary accepted = accept(pair.sam(), proposed);
        assertThat(accepted.getState()).isEqualTo(BoundaryState.BOUNDARY_ACTIVE);
        assertThat(accept(pair.sam(), proposed)).isEqualTo(accepted);

        Boundary revised = plans.stub().withCallCredentials(as(pair.sam())).reviseBoundary(ReviseBoundaryRequest.newBuilder().setIdempotencyKey(key()).setBoundaryId(proposed.getBoundaryId()).setExpectedVersion(1)
                        .setText("No cash withdrawals over 100 without talking first").setCategory(BoundaryCategory.BOUNDARY_MONEY)
                        .setAppliesTo(BoundaryAppliesTo.BOUNDARY_APPLIES_TO_MY_PARTNER).build());
        assertThat(revised.getVersion()).isEqualTo(2);
        assertThat(revised.getState()).isEqualTo(BoundaryState.BOUNDARY_PROPOSED);
        assertThat(revised.getAppliesToPersonIdsList()).containsExactly(pair.alex());
        assertThat(codeOf(() -> accept(pair.sam(), revised))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(accept(pair.alex(), revised).getState()).isEqualTo(BoundaryState.BOUNDARY_ACTIVE);

        var history = plans.stub().withCallCredentials(as(pair.sam())).getBoundaryHistory(GetBoundaryHistoryRequest.newBuilder().setBoundaryId(proposed.getBoundaryId()).build());
        assertThat(history.getVersionsList()).extracting(v -> v.getText()).containsExactly(
                "No cash withdrawals over 50 without talking first", "No cash withdrawals over 100 without talking first");
        assertThat(history.getVersionsList()).extracting(v -> v.getOutcome())
                .containsExactly(BoundaryVersionOutcome.VERSION_ACCEPTED, BoundaryVersionOutcome.VERSION_ACCEPTED);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(boundaries(pair, pair.sam())).singleElement()
                .satisfies(b -> {
                    assertThat(b.getVersion()).isEqualTo(2);
                    assertThat(b.getState()).isEqualTo(BoundaryState.BOUNDARY_ACTIVE);
                }));
    }

    @Test
    void onItsReviewDateABoundaryInForceIsPublishedForReviewOnce() throws InterruptedException {
        Pair pair = couple();
        Boundary boundary = accept(pair.sam(), propose(pair, "We talk before either of us goes out drinking"));
        CLOCK.advance(Duration.ofDays(31));
        await().atMost(Duration.ofSeconds(20)).until(() -> PlansTestSupport.publishedTypes(pair.coupleId()).containsKey("BoundaryReviewDue"));
        Thread.sleep(1000); // several more polls of the review schedule
        List<EventEnvelope> reviews = PlansTestSupport.publishedFor(pair.coupleId()).values().stream()
                .filter(e -> e.getPayload().is(BoundaryReviewDue.class)).toList();
        assertThat(reviews).singleElement().satisfies(e -> {
            BoundaryReviewDue due = e.getPayload().unpack(BoundaryReviewDue.class);
            assertThat(due.getBoundaryId()).isEqualTo(boundary.getBoundaryId());
            assertThat(due.getPartnerPersonIdsList()).containsExactlyInAnyOrder(pair.alex(), pair.sam());
        });
    }

    /** A couple in the real journal, known to plans-service from what the journal published. */
    private static Pair journalCouple() {
        String alex = "alex-" + key();
        String sam = "sam-" + key();
        String coupleId = PlansTestSupport.RealJournal.shared().couple(alex, sam);
        plans.awaitCouple(coupleId, 2);
        return new Pair(coupleId, alex, sam);
    }

    private static String checkIn(Pair pair, String author, Visibility visibility, RecordCheckInRequest.Builder request) {
        return PlansTestSupport.RealJournal.shared().as(author).recordCheckIn(request.setIdempotencyKey(key()).setCoupleId(pair.coupleId())
                .setMood(3).setCravingIntensity(4).setVisibility(visibility).build()).getCheckInId();
    }

    @Test
    void checkInsCountKeptAndCrossedOnceEachAndACrossingIsPublished() throws InvalidProtocolBufferException {
        // real check-ins: their event names no boundary, so plans-service asks the journal which ones they report
        Pair pair = journalCouple();
        Boundary boundary = accept(pair.sam(), propose(pair, "We don't keep alcohol at home"));
        checkIn(pair, pair.alex(), Visibility.PRIVATE, RecordCheckInRequest.newBuilder().addBoundariesKept(boundary.getBoundaryId()));
        String crossing = checkIn(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER,
                RecordCheckInRequest.newBuilder().addBoundariesCrossed(boundary.getBoundaryId()));
        // the relay sent it again after a crash: counted once
        journal.publish(pair.coupleId(), pair.alex(), CheckInShared.newBuilder().setCheckInId(crossing).setCoupleId(pair.coupleId())
                .setAuthorPersonId(pair.alex()).setPartnerPersonId(pair.sam()).setOccurredAt(Timestamps.of(CLOCK.instant())).build(), CLOCK.instant());
        checkIn(pair, pair.sam(), Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR,
                RecordCheckInRequest.newBuilder().addBoundariesKept(boundary.getBoundaryId()).addBoundariesKept(key()));
        // one the journal does not know (or no longer shares) reports nothing
        journal.publish(pair.coupleId(), pair.sam(), CheckInShared.newBuilder().setCheckInId(key()).setCoupleId(pair.coupleId())
                .setAuthorPersonId(pair.sam()).setPartnerPersonId(pair.alex()).setOccurredAt(Timestamps.of(CLOCK.instant())).build(), CLOCK.instant());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(boundaries(pair, pair.alex())).singleElement()
                .satisfies(b -> {
                    assertThat(b.getKeptCount()).isEqualTo(1);
                    assertThat(b.getCrossedCount()).isEqualTo(1);
                }));
        await().atMost(Duration.ofSeconds(20)).until(() -> PlansTestSupport.publishedTypes(pair.coupleId()).containsKey("BoundaryCrossed"));
        List<EventEnvelope> crossings = PlansTestSupport.publishedFor(pair.coupleId()).values().stream()
                .filter(e -> e.getPayload().is(BoundaryCrossed.class)).toList();
        assertThat(crossings).hasSize(1);
        BoundaryCrossed crossed = crossings.get(0).getPayload().unpack(BoundaryCrossed.class);
        assertThat(crossed.getBoundaryId()).isEqualTo(boundary.getBoundaryId());
        assertThat(crossed.getReportedByPersonId()).isEqualTo(pair.alex());
        assertThat(crossed.getPartnerPersonId()).isEqualTo(pair.sam());
        assertThat(crossings.get(0).toByteString().toStringUtf8()).doesNotContain("alcohol");
    }

    private static SafetyPlanSection alexSection(String warningSign) {
        return SafetyPlanSection.newBuilder()
                .addWarningSigns(warningSign)
                .addTriggers("Payday")
                .addCopingStrategies("Walk the dog")
                .addHelpContacts(SafetyPlanContact.newBuilder().setName("Jordan Sponsorfield").setPhone("+44 7700 900123").setRelationship("sponsor"))
                .addProfessionals(SafetyPlanContact.newBuilder().setName("Dr Okafor").setPhone("020 7946 0000").setRelationship("GP"))
                .setNaloxoneLocation("Kitchen drawer left of the sink")
                .addReasonsForRecovery("Our daughter")
                .addRelapseResponse(RelapseResponseStep.newBuilder().setTimeframe(RelapseTimeframe.RELAPSE_IMMEDIATELY)
                        .setRole(RelapseRole.RELAPSE_ROLE_IF_I_LAPSE).setText("Call Jordan"))
                .build();
    }

    private static SafetyPlan edit(Pair pair, String person, SafetyPlanSection section) {
        return plans.stub().withCallCredentials(as(person)).editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(pair.coupleId()).setSection(section).build());
    }

    private static SafetyPlan acknowledge(Pair pair, String person, int version) {
        return plans.stub().withCallCredentials(as(person)).acknowledgeSafetyPlan(AcknowledgeSafetyPlanRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(pair.coupleId()).setVersion(version).build());
    }

    @Test
    void aSafetyPlanIsAgreedByBothAndAnEditAfterwardsStartsANewDraftComparableWithTheAgreedOne() {
        Pair pair = couple();
        edit(pair, pair.alex(), alexSection("Skipping meals"));
        SafetyPlan draft = edit(pair, pair.sam(), SafetyPlanSection.newBuilder().addWarningSigns("Going quiet")
                .addRelapseResponse(RelapseResponseStep.newBuilder().setTimeframe(RelapseTimeframe.RELAPSE_IMMEDIATELY)
                        .setRole(RelapseRole.RELAPSE_ROLE_IF_MY_PARTNER_LAPSES).setText("Stay calm and ask if they are safe")).build());
        assertThat(draft.hasAgreed()).isFalse();
        assertThat(draft.getDraft().getSectionsList()).extracting(SafetyPlanSection::getPersonId).containsExactlyInAnyOrder(pair.alex(), pair.sam());

        assertThat(acknowledge(pair, pair.alex(), 1).hasAgreed()).isFalse();
        SafetyPlan agreed = acknowledge(pair, pair.sam(), 1);
        assertThat(agreed.getAgreed().getVersion()).isEqualTo(1);
        assertThat(agreed.getAgreed().getStatus()).isEqualTo(SafetyPlanVersionStatus.PLAN_VERSION_AGREED);
        assertThat(agreed.hasDraft()).isFalse();

        SafetyPlan redrafted = edit(pair, pair.alex(), alexSection("Skipping meals").toBuilder().addWarningSigns("Not sleeping")
                .setNaloxoneLocation("Bathroom cabinet").build());
        assertThat(redrafted.getAgreed().getVersion()).isEqualTo(1);
        assertThat(redrafted.getDraft().getVersion()).isEqualTo(2);

        SafetyPlan forMe = plans.stub().withCallCredentials(as(pair.sam())).getSafetyPlan(GetSafetyPlanRequest.newBuilder().setCoupleId(pair.coupleId()).setLocale("en-GB").build());
        assertThat(forMe.getCrisisLinesList()).extracting(l -> l.getName()).contains("Samaritans");
        assertThat(forMe.getAgreed().getSectionsList()).filteredOn(s -> s.getPersonId().equals(pair.alex())).singleElement()
                .satisfies(s -> {
                    assertThat(s.getHelpContacts(0).getName()).isEqualTo("Jordan Sponsorfield");
                    assertThat(s.getHelpContacts(0).getPhone()).isEqualTo("+44 7700 900123");
                    assertThat(s.getNaloxoneLocation()).isEqualTo("Kitchen drawer left of the sink");
                });

        SafetyPlanComparison comparison = plans.stub().withCallCredentials(as(pair.sam())).compareSafetyPlanVersions(CompareSafetyPlanVersionsRequest.newBuilder().setCoupleId(pair.coupleId())
                        .setFromVersion(1).setToVersion(2).build());
        assertThat(comparison.getChangesList()).extracting(SafetyPlanChange::getPersonId, SafetyPlanChange::getField,
                        SafetyPlanChange::getAddedList, SafetyPlanChange::getRemovedList)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(pair.alex(), "warning_signs", List.of("Not sleeping"), List.of()),
                        org.assertj.core.groups.Tuple.tuple(pair.alex(), "naloxone_location", List.of("Bathroom cabinet"),
                                List.of("Kitchen drawer left of the sink")));

        assertThat(plans.stub().withCallCredentials(as(pair.alex())).getSafetyPlanHistory(GetSafetyPlanHistoryRequest.newBuilder().setCoupleId(pair.coupleId()).build()).getVersionsList())
                .extracting(v -> v.getStatus())
                .containsExactly(SafetyPlanVersionStatus.PLAN_VERSION_AGREED, SafetyPlanVersionStatus.PLAN_VERSION_DRAFT);
    }

    private static SafetyPlan editPrivately(Pair pair, String person, SafetyPlanSection section, SafetyPlanSection privateItems) {
        EditSafetyPlanSectionRequest.Builder request = EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(pair.coupleId()).setPrivateItems(privateItems);
        if (section != null) {
            request.setSection(section);
        }
        return plans.stub().withCallCredentials(as(person)).editSafetyPlanSection(request.build());
    }

    private static SafetyPlan planFor(Pair pair, String person) {
        return plans.stub().withCallCredentials(as(person)).getSafetyPlan(GetSafetyPlanRequest.newBuilder().setCoupleId(pair.coupleId()).setLocale("en-GB").build());
    }

    @Test
    void privateItemsAreShownToTheirAuthorAloneNeverComparedAndPromptNobody() {
        Pair pair = couple();
        edit(pair, pair.alex(), alexSection("Skipping meals"));
        acknowledge(pair, pair.alex(), 1);
        acknowledge(pair, pair.sam(), 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> publishedTypes(pair.coupleId()).getOrDefault("SafetyPlanDraftChanged", 0L) == 1L);

        SafetyPlanSection secret = SafetyPlanSection.newBuilder().addWarningSigns("Hiding the car keys from me")
                .addHelpContacts(SafetyPlanContact.newBuilder().setName("Refuge Helpline").setPhone("0808 2000 247")).build();
        SafetyPlan mine = editPrivately(pair, pair.alex(), null, secret);
        assertThat(mine.getPrivateItems().getWarningSignsList()).containsExactly("Hiding the car keys from me");
        assertThat(mine.getPrivateItems().getPersonId()).isEqualTo(pair.alex());
        assertThat(mine.hasDraft()).as("private items start no version").isFalse();
        assertThat(planFor(pair, pair.alex()).getPrivateItems().getHelpContacts(0).getName()).isEqualTo("Refuge Helpline");

        // moving a shared item into the private ones: the partner sees it go, never where
        editPrivately(pair, pair.alex(), alexSection("Skipping meals").toBuilder().clearReasonsForRecovery().build(),
                secret.toBuilder().addReasonsForRecovery("Our daughter").build());
        SafetyPlan theirs = planFor(pair, pair.sam());
        assertThat(theirs.hasPrivateItems()).isFalse();
        SafetyPlanComparison comparison = plans.stub().withCallCredentials(as(pair.sam())).compareSafetyPlanVersions(CompareSafetyPlanVersionsRequest.newBuilder()
                .setCoupleId(pair.coupleId()).setFromVersion(1).setToVersion(2).build());
        assertThat(comparison.getChangesList()).extracting(SafetyPlanChange::getField, SafetyPlanChange::getAddedList, SafetyPlanChange::getRemovedList)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("reasons_for_recovery", List.of(), List.of("Our daughter")));
        var history = plans.stub().withCallCredentials(as(pair.sam())).getSafetyPlanHistory(GetSafetyPlanHistoryRequest.newBuilder().setCoupleId(pair.coupleId()).build());
        for (String text : List.of(theirs.toString(), comparison.toString(), history.toString())) {
            assertThat(text).doesNotContain("Hiding the car keys", "Refuge Helpline", "0808 2000 247");
        }

        // one draft change was published for the shared edit; the private-only edit published nothing
        await().atMost(Duration.ofSeconds(20)).until(() -> publishedTypes(pair.coupleId()).getOrDefault("SafetyPlanDraftChanged", 0L) == 2L);
        editPrivately(pair, pair.alex(), null, SafetyPlanSection.getDefaultInstance());
        assertThat(planFor(pair, pair.alex()).getPrivateItems().getWarningSignsCount()).isZero();
        edit(pair, pair.sam(), SafetyPlanSection.newBuilder().addWarningSigns("Going quiet").build());
        await().atMost(Duration.ofSeconds(20)).until(() -> publishedTypes(pair.coupleId()).getOrDefault("SafetyPlanDraftChanged", 0L) == 3L);
        assertThat(publishedFor(pair.coupleId()).values().toString()).doesNotContain("Hiding the car keys", "Refuge");
    }

    @Test
    void afterAPartnerLeavesEachPersonKeepsTheirOwnSectionAndCrisisLinesAndNobodyIsPrompted() {
        Pair pair = couple();
        edit(pair, pair.alex(), alexSection("Skipping meals"));
        edit(pair, pair.sam(), SafetyPlanSection.newBuilder().addWarningSigns("Going quiet")
                .addHelpContacts(SafetyPlanContact.newBuilder().setName("Aunt Robin").setPhone("01632 960000")).build());
        editPrivately(pair, pair.sam(), null, SafetyPlanSection.newBuilder().addWarningSigns("Where I keep my passport").build());
        await().atMost(Duration.ofSeconds(20)).until(() -> publishedTypes(pair.coupleId()).getOrDefault("SafetyPlanDraftChanged", 0L) == 2L);

        journal.publish(pair.coupleId(), pair.alex(), app.tandem.events.v1.CoupleDissolved.newBuilder().setCoupleId(pair.coupleId())
                .setRemainingPersonId(pair.sam()).build(), CLOCK.instant());
        await().atMost(Duration.ofSeconds(20)).until(() -> planFor(pair, pair.sam()).getCoupleDissolved());

        SafetyPlan remaining = planFor(pair, pair.sam());
        assertThat(remaining.getCrisisLinesList()).extracting(l -> l.getName()).contains("Samaritans");
        assertThat(remaining.getDraft().getSectionsList()).extracting(SafetyPlanSection::getPersonId).containsExactly(pair.sam());
        assertThat(remaining.getDraft().getSections(0).getHelpContacts(0).getName()).isEqualTo("Aunt Robin");
        assertThat(remaining.getPrivateItems().getWarningSignsList()).containsExactly("Where I keep my passport");

        SafetyPlan edited = edit(pair, pair.sam(), SafetyPlanSection.newBuilder().addWarningSigns("Going quiet")
                .addHelpContacts(SafetyPlanContact.newBuilder().setName("Aunt Robin").setPhone("01632 960000"))
                .addHelpContacts(SafetyPlanContact.newBuilder().setName("Women's Aid").setPhone("0808 2000 247")).build());
        assertThat(edited.getDraft().getSectionsList()).singleElement().satisfies(s -> assertThat(s.getHelpContactsList())
                .extracting(SafetyPlanContact::getName).containsExactly("Aunt Robin", "Women's Aid"));

        SafetyPlan leaver = planFor(pair, pair.alex());
        assertThat(leaver.getDraft().getSectionsList()).extracting(SafetyPlanSection::getPersonId).containsExactly(pair.alex());
        assertThat(leaver.hasPrivateItems()).isFalse();
        var leaverHistory = plans.stub().withCallCredentials(as(pair.alex())).getSafetyPlanHistory(GetSafetyPlanHistoryRequest.newBuilder().setCoupleId(pair.coupleId()).build());
        var leaverComparison = plans.stub().withCallCredentials(as(pair.alex())).compareSafetyPlanVersions(CompareSafetyPlanVersionsRequest.newBuilder()
                .setCoupleId(pair.coupleId()).setFromVersion(1).setToVersion(1).build());
        for (String text : List.of(leaver.toString(), leaverHistory.toString(), leaverComparison.toString())) {
            assertThat(text).doesNotContain("Aunt Robin", "Women's Aid", "Going quiet", "passport");
        }
        assertThat(codeOf(() -> acknowledge(pair, pair.sam(), 1))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> plans.stub().withCallCredentials(as("stranger")).getSafetyPlan(GetSafetyPlanRequest.newBuilder()
                .setCoupleId(pair.coupleId()).build()))).isEqualTo(Status.Code.PERMISSION_DENIED);

        // edits after the leave are published to nobody: a later check finds still only the two from before
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> publishedTypes(pair.coupleId()).getOrDefault("SafetyPlanDraftChanged", 0L) == 2L);
    }

    @Test
    void wordsAndContactsAreEncryptedBeforeTheyAreStored() {
        Pair pair = couple();
        propose(pair, "Never drive after drinking");
        edit(pair, pair.alex(), alexSection("Skipping meals"));
        for (Document event : plans.database().getCollection("domain_events").find()) {
            String payload = new String(event.get("payload", Binary.class).getData(), StandardCharsets.UTF_8);
            assertThat(payload).doesNotContain("Never drive after drinking", "Jordan Sponsorfield", "7700 900123",
                    "Kitchen drawer", "Skipping meals", "Call Jordan");
        }
    }

    @Test
    void strangersAndFormerPartnersSeeNothing() {
        Pair pair = couple();
        Boundary boundary = propose(pair, "Phones away at dinner");
        assertThat(codeOf(() -> boundaries(pair, "stranger"))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> plans.stub().withCallCredentials(as("stranger")).getBoundaryHistory(GetBoundaryHistoryRequest.newBuilder().setBoundaryId(boundary.getBoundaryId()).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> plans.stub().withCallCredentials(as("stranger")).getSafetyPlan(GetSafetyPlanRequest.newBuilder().setCoupleId(pair.coupleId()).build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        journal.publish(pair.coupleId(), pair.sam(), app.tandem.events.v1.CoupleDissolved.newBuilder().setCoupleId(pair.coupleId())
                .setRemainingPersonId(pair.sam()).build(), CLOCK.instant());
        await().atMost(Duration.ofSeconds(20)).until(() -> codeOf(() -> boundaries(pair, pair.sam())) == Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> accept(pair.sam(), boundary))).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    // ---- invalid input: INVALID_ARGUMENT naming every offending field, and nothing stored ----

    record Invalid(String name, Consumer<Pair> call, List<String> fields) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static ProposeBoundaryRequest.Builder goodProposal(Pair pair) {
        return ProposeBoundaryRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(pair.coupleId()).setText("Be home by midnight")
                .setCategory(BoundaryCategory.BOUNDARY_TIME_AND_ROUTINES).setAppliesTo(BoundaryAppliesTo.BOUNDARY_APPLIES_TO_BOTH_OF_US);
    }

    private static Consumer<Pair> proposing(java.util.function.BiFunction<Pair, ProposeBoundaryRequest.Builder, ProposeBoundaryRequest.Builder> change) {
        return pair -> plans.stub().withCallCredentials(as(pair.alex())).proposeBoundary(change.apply(pair, goodProposal(pair)).build());
    }

    private static Consumer<Pair> editing(SafetyPlanSection section) {
        return pair -> plans.stub().withCallCredentials(as(pair.alex())).editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(pair.coupleId())
                        .setSection(section).build());
    }

    static Stream<Arguments> invalidRequests() {
        String longText = "x".repeat(501);
        Instant now = CLOCK.instant();
        List<Invalid> cases = List.of(
                new Invalid("proposal without idempotency key", proposing((p, r) -> r.setIdempotencyKey("")), List.of("idempotency_key")),
                new Invalid("proposal with a malformed couple id", proposing((p, r) -> r.setCoupleId("our-couple")), List.of("couple_id")),
                new Invalid("proposal without text", proposing((p, r) -> r.setText("  ")), List.of("text")),
                new Invalid("proposal with 501 characters", proposing((p, r) -> r.setText(longText)), List.of("text")),
                new Invalid("proposal without category", proposing((p, r) -> r.clearCategory()), List.of("category")),
                new Invalid("proposal with an unknown category", proposing((p, r) -> r.setCategoryValue(99)), List.of("category")),
                new Invalid("proposal without applies_to", proposing((p, r) -> r.clearAppliesTo()), List.of("applies_to")),
                new Invalid("review date in the past", proposing((p, r) -> r.setReviewAt(Timestamps.of(now.minusSeconds(60)))), List.of("review_at")),
                new Invalid("review date two years ahead", proposing((p, r) -> r.setReviewAt(Timestamps.of(now.plus(Duration.ofDays(730))))), List.of("review_at")),
                new Invalid("review date out of range", proposing((p, r) -> r.setReviewAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE))), List.of("review_at")),
                new Invalid("several fields at once", proposing((p, r) -> r.setText("").clearCategory()), List.of("text", "category")),
                new Invalid("answer to version 0", pair -> plans.stub().withCallCredentials(as(pair.sam())).acceptBoundary(RespondToBoundaryRequest.newBuilder().setIdempotencyKey(key()).setBoundaryId(key()).build()), List.of("version")),
                new Invalid("answer to a malformed boundary id", pair -> plans.stub().withCallCredentials(as(pair.sam())).declineBoundary(RespondToBoundaryRequest.newBuilder().setIdempotencyKey(key()).setBoundaryId("b1").setVersion(1).build()), List.of("boundary_id")),
                new Invalid("revision without expected version", pair -> plans.stub().withCallCredentials(as(pair.sam())).reviseBoundary(ReviseBoundaryRequest.newBuilder().setIdempotencyKey(key()).setBoundaryId(key()).setText("t")
                                .setCategory(BoundaryCategory.BOUNDARY_SAFETY).setAppliesTo(BoundaryAppliesTo.BOUNDARY_APPLIES_TO_ME).build()), List.of("expected_version")),
                new Invalid("plan edit without section", pair -> plans.stub().withCallCredentials(as(pair.alex())).editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(key())
                                .setCoupleId(pair.coupleId()).build()), List.of("section")),
                new Invalid("private item too long", pair -> plans.stub().withCallCredentials(as(pair.alex())).editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(key())
                                .setCoupleId(pair.coupleId()).setPrivateItems(SafetyPlanSection.newBuilder().addWarningSigns(longText)).build()), List.of("private_items.warning_signs[0]")),
                new Invalid("contact with letters in the phone number", editing(SafetyPlanSection.newBuilder().addHelpContacts(
                        SafetyPlanContact.newBuilder().setName("Jordan").setPhone("call me maybe")).build()), List.of("section.help_contacts[0].phone")),
                new Invalid("contact without a name", editing(SafetyPlanSection.newBuilder().addProfessionals(
                        SafetyPlanContact.newBuilder().setPhone("112")).build()), List.of("section.professionals[0].name")),
                new Invalid("relapse step without timeframe", editing(SafetyPlanSection.newBuilder().addRelapseResponse(
                        RelapseResponseStep.newBuilder().setRole(RelapseRole.RELAPSE_ROLE_IF_I_LAPSE).setText("Call")).build()),
                        List.of("section.relapse_response[0].timeframe")),
                new Invalid("relapse step without role or text", editing(SafetyPlanSection.newBuilder().addRelapseResponse(
                        RelapseResponseStep.newBuilder().setTimeframe(RelapseTimeframe.RELAPSE_FIRST_WEEK)).build()),
                        List.of("section.relapse_response[0].role", "section.relapse_response[0].text")),
                new Invalid("21 warning signs", editing(SafetyPlanSection.newBuilder().addAllWarningSigns(
                        java.util.Collections.nCopies(21, "tired")).build()), List.of("section.warning_signs")),
                new Invalid("blank warning sign", editing(SafetyPlanSection.newBuilder().addWarningSigns(" ").build()), List.of("section.warning_signs[0]")),
                new Invalid("acknowledging version 0", pair -> plans.stub().withCallCredentials(as(pair.sam())).acknowledgeSafetyPlan(AcknowledgeSafetyPlanRequest.newBuilder().setIdempotencyKey(key())
                                .setCoupleId(pair.coupleId()).build()), List.of("version")),
                new Invalid("malformed locale", pair -> plans.stub().withCallCredentials(as(pair.sam())).getSafetyPlan(GetSafetyPlanRequest.newBuilder().setCoupleId(pair.coupleId()).setLocale("en GB!").build()), List.of("locale")),
                new Invalid("comparing version 0", pair -> plans.stub().withCallCredentials(as(pair.sam())).compareSafetyPlanVersions(CompareSafetyPlanVersionsRequest.newBuilder().setCoupleId(pair.coupleId())
                                .setToVersion(1).build()), List.of("from_version")),
                new Invalid("completing a task without its id", pair -> plans.stub().withCallCredentials(as(pair.sam())).completeRelapseResponseTask(CompleteRelapseResponseTaskRequest.newBuilder()
                                .setIdempotencyKey(key()).setLapseId(key()).build()), List.of("task_id")));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void invalidInputNamesTheFieldAndStoresNothing(Invalid invalid) {
        long eventsBefore = plans.storedEventCount();
        long keysBefore = plans.database().getCollection("person_keys").countDocuments();
        assertThatThrownBy(() -> invalid.call().accept(shared))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(FieldViolations.fieldsOf(e)).containsExactlyElementsOf(invalid.fields());
                });
        assertThat(plans.storedEventCount()).isEqualTo(eventsBefore);
        assertThat(plans.database().getCollection("person_keys").countDocuments()).isEqualTo(keysBefore);
    }

    @Test
    void theDefaultCrisisLinesAreShownForAnUnknownLocaleAndTheLanguageForARegion() {
        SafetyPlan none = plans.stub().withCallCredentials(as(shared.alex())).getSafetyPlan(GetSafetyPlanRequest.newBuilder().setCoupleId(shared.coupleId()).setLocale("xx").build());
        assertThat(none.getCrisisLinesList()).extracting(l -> l.getPhone()).containsExactly("112");
        SafetyPlan austria = plans.stub().withCallCredentials(as(shared.alex())).getSafetyPlan(GetSafetyPlanRequest.newBuilder().setCoupleId(shared.coupleId()).setLocale("de-AT").build());
        assertThat(austria.getCrisisLinesList()).extracting(l -> l.getName()).contains("TelefonSeelsorge");
        assertThat(EmbeddedStack.shared()).isNotNull();
    }
}
