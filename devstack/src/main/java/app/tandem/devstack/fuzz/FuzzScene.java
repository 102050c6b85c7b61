package app.tandem.devstack.fuzz;

import app.tandem.api.v1.AcknowledgeSafetyPlanRequest;
import app.tandem.api.v1.BoundaryAppliesTo;
import app.tandem.api.v1.BoundaryCategory;
import app.tandem.api.v1.CareServiceGrpc;
import app.tandem.api.v1.Consent;
import app.tandem.api.v1.ConsentPurpose;
import app.tandem.api.v1.ConsentServiceGrpc;
import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.CreateClientInvitationRequest;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.ConversationPreparation;
import app.tandem.api.v1.ExpressNeedRequest;
import app.tandem.api.v1.InviteToConversationRequest;
import app.tandem.api.v1.NeedKind;
import app.tandem.api.v1.PrepareConversationRequest;
import app.tandem.api.v1.ProposeSharedGoalRequest;
import app.tandem.api.v1.RecordVictoryRequest;
import app.tandem.api.v1.SharedGoalKind;
import app.tandem.api.v1.VictoryKind;
import app.tandem.api.v1.DiscloseLapseRequest;
import app.tandem.api.v1.DisclosureScope;
import app.tandem.api.v1.EditSafetyPlanSectionRequest;
import app.tandem.api.v1.GetClientSummaryRequest;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.ListBoundariesRequest;
import app.tandem.api.v1.ListDisclosuresRequest;
import app.tandem.api.v1.ListRelapseResponseTasksRequest;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.api.v1.PrepareConsentRequest;
import app.tandem.api.v1.ProposeBoundaryRequest;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordWeeklyReviewRequest;
import app.tandem.api.v1.RelapseResponseStep;
import app.tandem.api.v1.RelapseResponseTask;
import app.tandem.api.v1.RelapseRole;
import app.tandem.api.v1.RelapseTimeframe;
import app.tandem.api.v1.RespondToBoundaryRequest;
import app.tandem.api.v1.Role;
import app.tandem.api.v1.SafetyPlanSection;
import app.tandem.api.v1.SignConsentRequest;
import app.tandem.api.v1.Visibility;
import app.tandem.api.v1.WeeklyReview;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.testkit.DevTokenIssuer;
import app.tandem.testkit.LocalIdentities;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.function.BooleanSupplier;

/**
 * What the fuzzer's requests are about: a couple whose partners have checked in, reviewed a week, agreed a boundary
 * and a safety plan and disclosed a lapse (so its entries, boundaries, lapse and tasks exist), a second couple waiting
 * for its partner (so an invite code is valid), someone in no couple, a counselor of an organisation and an operator.
 * The counselor gave invitation codes, one of them to a partner who consented to them (one version signed and in force,
 * a wider one prepared), and read a summary of that partner's record (so a disclosure is on record). When a fuzzed
 * request dissolves the couple or ends the consent, the scene is made again with new people, so later inputs reach
 * the same depth.
 */
public final class FuzzScene {

    /** Who sends a request. */
    public enum Caller { PARTNER, OTHER_PARTNER, OUTSIDER, COUNSELOR, OPERATOR }

    /** The kinds of value a field can name, each with the real ones of this scene. */
    public enum Known {
        COUPLE, ENTRY, BOUNDARY, LAPSE, TASK, INVITE, PERSON,
        /** A counselor's client invitation codes, the consent and its versions (as numbers), their texts' SHA-256. */
        INVITATION, CONSENT, VERSION, TEXT_SHA256,
        /** People a counselor may name as a client: the one who consented first. */
        CLIENT,
        /** Tokens of a next page a service issued. */
        PAGE_TOKEN,
        /** A conversation the other partner invited the partner to, a victory they shared, a need they said, a goal they proposed. */
        TALK
    }

    /** What the consent covers when signed; its prepared second version adds the notes. */
    private static final List<DisclosureScope> CONSENTED = List.of(DisclosureScope.SHARED_CHECK_INS, DisclosureScope.WEEKLY_REVIEWS,
            DisclosureScope.LAPSES, DisclosureScope.MILESTONES, DisclosureScope.SUPPORT_REQUESTS);

    private final Channel gateway;
    private final DevTokenIssuer issuer;
    private final Duration tokenLifetime;
    private final String label;
    private int generation;
    private final Map<Caller, CallCredentials> tokens = new EnumMap<>(Caller.class);
    private final Map<Known, List<String>> known = new EnumMap<>(Known.class);

    public FuzzScene(Channel gateway, DevTokenIssuer issuer, Duration tokenLifetime) {
        this.gateway = gateway;
        this.issuer = issuer;
        this.tokenLifetime = tokenLifetime;
        this.label = UUID.randomUUID().toString().substring(0, 6);
        make();
    }

    public CallCredentials token(Caller caller) {
        return tokens.get(caller);
    }

    /** The real values of one kind, always in the same order, so an input picks the same one in every scene. */
    public List<String> known(Known kind) {
        return known.get(kind);
    }

    /** Makes the scene again with new people, after a request changed who is in the couple or ended the consent. */
    public void renew() {
        make();
    }

    private void make() {
        generation++;
        String suffix = "-" + label + "-" + generation;
        known.clear();
        for (Known kind : Known.values()) {
            known.put(kind, new ArrayList<>());
        }
        String alex = "alex" + suffix;
        String sam = "sam" + suffix;
        String kim = "kim" + suffix;
        String host = "host" + suffix;
        tokens.put(Caller.PARTNER, person(alex, Set.of(Role.ROLE_PARTNER)));
        tokens.put(Caller.OTHER_PARTNER, person(sam, Set.of(Role.ROLE_PARTNER)));
        tokens.put(Caller.OUTSIDER, person(kim, Set.of(Role.ROLE_PARTNER)));
        tokens.put(Caller.COUNSELOR, person("dana" + suffix, Set.of(Role.ROLE_COUNSELOR)));
        tokens.put(Caller.OPERATOR, person("olive" + suffix, Set.of(Role.ROLE_OPERATOR)));
        CallCredentials hostToken = person(host, Set.of(Role.ROLE_PARTNER));
        // inside Tandem people are known by the ids the gateway gives them, never by their tokens' subjects
        known.get(Known.PERSON).addAll(Stream.of(alex, sam, kim, host).map(LocalIdentities.shared()::personIdOf).toList());

        CreateCoupleResponse couple = couples(Caller.PARTNER).createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(key()).build());
        couples(Caller.OTHER_PARTNER).joinCouple(JoinCoupleRequest.newBuilder().setIdempotencyKey(key())
                .setInviteCode(couple.getInviteCode()).build());
        String coupleId = couple.getCoupleId();
        CreateCoupleResponse waiting = CoupleServiceGrpc.newBlockingStub(gateway).withCallCredentials(hostToken)
                .withDeadlineAfter(20, TimeUnit.SECONDS).createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(key()).build());
        known.get(Known.COUPLE).addAll(List.of(coupleId, waiting.getCoupleId()));
        known.get(Known.INVITE).addAll(List.of(waiting.getInviteCode(), couple.getInviteCode()));
        consent(alex, sam);

        known.get(Known.ENTRY).add(checkIn(Caller.PARTNER, coupleId, Visibility.SHARED_WITH_PARTNER));
        known.get(Known.ENTRY).add(checkIn(Caller.PARTNER, coupleId, Visibility.PRIVATE));
        known.get(Known.ENTRY).add(checkIn(Caller.OTHER_PARTNER, coupleId, Visibility.SHARED_WITH_PARTNER));
        known.get(Known.ENTRY).add(journal(Caller.PARTNER).recordWeeklyReview(RecordWeeklyReviewRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(coupleId).setReview(WeeklyReview.newBuilder().setConfidence(4)).build()).getEntryId());

        // plans-service learns of the couple and of who joined it from the journal's events
        for (Caller partner : List.of(Caller.PARTNER, Caller.OTHER_PARTNER)) {
            await("plans-service knows both partners", () -> answers(() -> plans(partner)
                    .listBoundaries(ListBoundariesRequest.newBuilder().setCoupleId(coupleId).build())));
        }
        String agreed = plans(Caller.OTHER_PARTNER).proposeBoundary(proposal(coupleId, "No drinking at home")).getBoundaryId();
        plans(Caller.PARTNER).acceptBoundary(RespondToBoundaryRequest.newBuilder().setIdempotencyKey(key()).setBoundaryId(agreed)
                .setVersion(1).build());
        String proposed = plans(Caller.OTHER_PARTNER).proposeBoundary(proposal(coupleId, "Talk before a party")).getBoundaryId();
        known.get(Known.BOUNDARY).addAll(List.of(agreed, proposed));

        edit(Caller.PARTNER, coupleId, RelapseRole.RELAPSE_ROLE_IF_I_LAPSE, "Tell my partner");
        edit(Caller.OTHER_PARTNER, coupleId, RelapseRole.RELAPSE_ROLE_IF_MY_PARTNER_LAPSES, "Stay calm and stay");
        for (Caller partner : List.of(Caller.PARTNER, Caller.OTHER_PARTNER)) {
            plans(partner).acknowledgeSafetyPlan(AcknowledgeSafetyPlanRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId)
                    .setVersion(1).build());
        }
        String lapse = journal(Caller.PARTNER).discloseLapse(DiscloseLapseRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(coupleId).build()).getLapseId();
        known.get(Known.LAPSE).add(lapse);
        await("the lapse's relapse response has tasks", () -> !tasks(coupleId, lapse).isEmpty());
        tasks(coupleId, lapse).forEach(task -> known.get(Known.TASK).add(task.getTaskId()));
        talk(coupleId);

        // a summary is recorded as a disclosure, whose id is the partner's next page token of their accounting
        care().getClientSummary(GetClientSummaryRequest.newBuilder().setClientPersonId(LocalIdentities.shared().personIdOf(alex)).build());
        known.get(Known.PAGE_TOKEN).add(consents().listDisclosures(ListDisclosuresRequest.newBuilder().setPageSize(1).build())
                .getNextPageToken());
    }

    /**
     * The counselor invites the partner, who consents before writing anything, so what they share reaches the
     * counselor's feed; a second code stays untaken.
     */
    private void consent(String client, String otherPartner) {
        String taken = invitation();
        known.get(Known.INVITATION).addAll(List.of(invitation(), taken));
        Consent signed = prepare(taken, CONSENTED);
        consents().signConsent(SignConsentRequest.newBuilder().setConsentId(signed.getConsentId()).setVersion(signed.getVersion())
                .setTextSha256(signed.getTextSha256()).build());
        List<DisclosureScope> withNotes = new ArrayList<>(CONSENTED);
        withNotes.add(DisclosureScope.CHECK_IN_NOTES);
        Consent wider = prepare(taken, withNotes);
        known.get(Known.CONSENT).add(signed.getConsentId());
        for (Consent version : List.of(signed, wider)) {
            known.get(Known.VERSION).add(Integer.toString(version.getVersion()));
            known.get(Known.TEXT_SHA256).add(version.getTextSha256());
        }
        known.get(Known.CLIENT).addAll(Stream.of(client, otherPartner).map(LocalIdentities.shared()::personIdOf).toList());
    }

    private void talk(String coupleId) {
        String conversation = plans(Caller.OTHER_PARTNER).prepareConversation(PrepareConversationRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(coupleId).setPreparation(ConversationPreparation.newBuilder().addPoints("How the week went")).build()).getConversationId();
        plans(Caller.OTHER_PARTNER).inviteToConversation(InviteToConversationRequest.newBuilder().setIdempotencyKey(key())
                .setConversationId(conversation).setProposedTime(Timestamps.of(Instant.now().plus(Duration.ofDays(30)))).build());
        String victory = plans(Caller.OTHER_PARTNER).recordVictory(RecordVictoryRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(coupleId).setKind(VictoryKind.VICTORY_MEETING_ATTENDED).setVisibility(Visibility.SHARED_WITH_PARTNER).build())
                .getVictoryId();
        String need = plans(Caller.OTHER_PARTNER).expressNeed(ExpressNeedRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(coupleId).setKind(NeedKind.NEED_FOR_MYSELF).setText("An hour alone on Sundays").build()).getNeedId();
        String goal = plans(Caller.OTHER_PARTNER).proposeSharedGoal(ProposeSharedGoalRequest.newBuilder().setIdempotencyKey(key())
                .setCoupleId(coupleId).setKind(SharedGoalKind.SHARED_GOAL_ACTIVITY_TOGETHER).setTitle("A walk on Sundays").build()).getGoalId();
        known.get(Known.TALK).addAll(List.of(conversation, victory, need, goal));
    }

    private String invitation() {
        return care().createClientInvitation(CreateClientInvitationRequest.newBuilder().setIdempotencyKey(key()).build()).getCode();
    }

    private Consent prepare(String invitationCode, List<DisclosureScope> scopes) {
        return consents().prepareConsent(PrepareConsentRequest.newBuilder().setIdempotencyKey(key()).setInvitationCode(invitationCode)
                .setPurpose(ConsentPurpose.TREATMENT).addAllScopes(scopes).setUntilTreatmentEnds(true).build());
    }

    private List<RelapseResponseTask> tasks(String coupleId, String lapse) {
        return plans(Caller.PARTNER).listRelapseResponseTasks(ListRelapseResponseTasksRequest.newBuilder().setCoupleId(coupleId).build())
                .getTasksList().stream().filter(task -> task.getLapseId().equals(lapse)).toList();
    }

    private CallCredentials person(String personId, Set<Role> roles) {
        String organisation = roles.contains(Role.ROLE_COUNSELOR) ? "clinic-north" : "";
        return BearerToken.of(issuer.issue(personId, roles, organisation, tokenLifetime));
    }

    private String checkIn(Caller author, String coupleId, Visibility visibility) {
        return journal(author).recordCheckIn(RecordCheckInRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId)
                .setMood(3).setCravingIntensity(4).setNote("a quiet evening").setVisibility(visibility).build()).getCheckInId();
    }

    private void edit(Caller partner, String coupleId, RelapseRole role, String step) {
        plans(partner).editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId)
                .setSection(SafetyPlanSection.newBuilder().addRelapseResponse(RelapseResponseStep.newBuilder()
                        .setTimeframe(RelapseTimeframe.RELAPSE_IMMEDIATELY).setRole(role).setText(step))).build());
    }

    private static ProposeBoundaryRequest proposal(String coupleId, String text) {
        return ProposeBoundaryRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId).setText(text)
                .setCategory(BoundaryCategory.BOUNDARY_HOME_AND_VISITORS).setAppliesTo(BoundaryAppliesTo.BOUNDARY_APPLIES_TO_BOTH_OF_US).build();
    }

    private CoupleServiceGrpc.CoupleServiceBlockingStub couples(Caller caller) {
        return CoupleServiceGrpc.newBlockingStub(gateway).withCallCredentials(tokens.get(caller)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private JournalServiceGrpc.JournalServiceBlockingStub journal(Caller caller) {
        return JournalServiceGrpc.newBlockingStub(gateway).withCallCredentials(tokens.get(caller)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private PlansServiceGrpc.PlansServiceBlockingStub plans(Caller caller) {
        return PlansServiceGrpc.newBlockingStub(gateway).withCallCredentials(tokens.get(caller)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private ConsentServiceGrpc.ConsentServiceBlockingStub consents() {
        return ConsentServiceGrpc.newBlockingStub(gateway).withCallCredentials(tokens.get(Caller.PARTNER)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private CareServiceGrpc.CareServiceBlockingStub care() {
        return CareServiceGrpc.newBlockingStub(gateway).withCallCredentials(tokens.get(Caller.COUNSELOR)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static boolean answers(Runnable call) {
        try {
            call.run();
            return true;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Instant end = Instant.now().plusSeconds(60);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new IllegalStateException("the fuzz scene could not be made: " + what + " did not happen within 60 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
