package app.tandem.platform.kafka;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An owner out of reach or out of time, asked for a fact, is waited for; a refusal or an absence is not. */
class FailuresTest {

    @Test
    void anOwnerUnavailableOrOutOfTimePassesByItself() {
        assertThat(Failures.passBySelf(Status.UNAVAILABLE.asRuntimeException())).isTrue();
        assertThat(Failures.passBySelf(new IllegalStateException("handling failed", Status.DEADLINE_EXCEEDED.asRuntimeException()))).isTrue();
    }

    @Test
    void anAnswerOfTheOwnerIsNoPassingFailure() {
        assertThat(Failures.passBySelf(Status.PERMISSION_DENIED.asRuntimeException())).isFalse();
        assertThat(Failures.passBySelf(Status.INVALID_ARGUMENT.asRuntimeException())).isFalse();
        assertThat(Failures.passBySelf(Status.INTERNAL.asRuntimeException())).isFalse();
    }
}
