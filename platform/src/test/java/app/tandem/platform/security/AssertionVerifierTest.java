package app.tandem.platform.security;

import app.tandem.api.v1.Role;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A service believes only short-lived assertions for itself, signed by a caller it trusts, each speaking for whom it may. */
class AssertionVerifierTest {

    private static final String JOURNAL = "journal-service";
    private static final String RPC = "tandem.api.v1.JournalService/ListTimeline";

    private final byte[] gatewaySecret = secret();
    private final byte[] notificationsSecret = secret();
    private final CallerAssertions gateway = new CallerAssertions("gateway", gatewaySecret, Clock.systemUTC());
    private final CallerAssertions notifications = new CallerAssertions("notifications-service", notificationsSecret, Clock.systemUTC());
    private final AssertionVerifier journal = new AssertionVerifier(JOURNAL, "gateway", Map.of(
            "gateway", CallerKeys.derive(gatewaySecret, JOURNAL),
            "notifications-service", CallerKeys.derive(notificationsSecret, JOURNAL)), Clock.systemUTC());

    private static byte[] secret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    private static Caller alex() {
        return Caller.person("alex", Set.of(Role.ROLE_PARTNER), "", "request-1");
    }

    @Test
    void theGatewaySpeaksForAPersonAndAServiceForItself() throws Exception {
        Caller alex = journal.verify(gateway.sign(alex(), JOURNAL, RPC), RPC);
        assertThat(alex.subject()).isEqualTo("alex");
        assertThat(alex.roles()).containsExactly(Role.ROLE_PARTNER);
        assertThat(alex.requestId()).isEqualTo("request-1");

        Caller service = journal.verify(notifications.sign(Caller.service("notifications-service", "r"), JOURNAL, RPC), RPC);
        assertThat(service.isService()).isTrue();
        assertThat(service.subject()).isEqualTo("notifications-service");
    }

    @Test
    void anAssertionForAnotherServiceIsRefused() {
        assertThatThrownBy(() -> journal.verify(gateway.sign(alex(), "plans-service", RPC), RPC))
                .isInstanceOf(AssertionVerifier.Refused.class);
    }

    @Test
    void anExpiredOrLongLivedAssertionIsRefused() {
        Instant twoMinutesAgo = Instant.now().minus(Duration.ofMinutes(2));
        assertThatThrownBy(() -> journal.verify(gateway.sign(alex(), JOURNAL, RPC, twoMinutesAgo, Duration.ofSeconds(30)), RPC))
                .isInstanceOf(AssertionVerifier.Refused.class);
        assertThatThrownBy(() -> journal.verify(gateway.sign(alex(), JOURNAL, RPC, Instant.now(), Duration.ofHours(1)), RPC))
                .isInstanceOf(AssertionVerifier.Refused.class);
    }

    @Test
    void anAssertionForOneCallOpensNoOther() {
        String forTheTimeline = gateway.sign(alex(), JOURNAL, RPC);
        assertThatThrownBy(() -> journal.verify(forTheTimeline, "tandem.api.v1.CoupleService/LeaveCouple"))
                .isInstanceOf(AssertionVerifier.Refused.class);
    }

    @Test
    void anAssertionSignedWithAnyOtherKeyIsRefused() {
        CallerAssertions impostor = new CallerAssertions("gateway", secret(), Clock.systemUTC());
        assertThatThrownBy(() -> journal.verify(impostor.sign(alex(), JOURNAL, RPC), RPC)).isInstanceOf(AssertionVerifier.Refused.class);
        CallerAssertions stranger = new CallerAssertions("someone", secret(), Clock.systemUTC());
        assertThatThrownBy(() -> journal.verify(stranger.sign(alex(), JOURNAL, RPC), RPC)).isInstanceOf(AssertionVerifier.Refused.class);
        assertThatThrownBy(() -> journal.verify("not.an.assertion", RPC)).isInstanceOf(AssertionVerifier.Refused.class);
    }

    @Test
    void aServiceCannotSpeakForAPersonNorTheGatewayAsAService() {
        assertThatThrownBy(() -> journal.verify(notifications.sign(alex(), JOURNAL, RPC), RPC))
                .as("notifications-service claiming to be alex").isInstanceOf(AssertionVerifier.Refused.class);
        assertThatThrownBy(() -> journal.verify(notifications.sign(Caller.service("plans-service", "r"), JOURNAL, RPC), RPC))
                .as("one service claiming to be another").isInstanceOf(AssertionVerifier.Refused.class);
        assertThatThrownBy(() -> journal.verify(gateway.sign(Caller.service("gateway", "r"), JOURNAL, RPC), RPC))
                .as("the edge speaks for people only").isInstanceOf(AssertionVerifier.Refused.class);
    }

    @Test
    void aCounselorWithoutAnOrganisationIsRefused() throws Exception {
        Caller dana = Caller.person("dana", Set.of(Role.ROLE_COUNSELOR), "clinic-north", "r");
        assertThat(journal.verify(gateway.sign(dana, JOURNAL, RPC), RPC).organisation()).isEqualTo("clinic-north");
        assertThatThrownBy(() -> journal.verify(gateway.sign(Caller.person("dana", Set.of(Role.ROLE_COUNSELOR), "", "r"), JOURNAL, RPC), RPC))
                .isInstanceOf(AssertionVerifier.Refused.class);
    }
}
