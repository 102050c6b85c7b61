package app.tandem.platform.axon;

import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class CoalescingTokenStoreTest {

    private static final String PROCESSOR = "timeline";
    private static final Duration NEVER = Duration.ofHours(1);

    private final RecordingTokenStore stored = new RecordingTokenStore();
    private CoalescingTokenStore tokens;

    @AfterEach
    void close() {
        if (tokens != null) {
            tokens.close();
        }
    }

    private CoalescingTokenStore claimed(Duration interval, Duration claimTimeout) {
        stored.initializeTokenSegments(PROCESSOR, 1, at(0));
        tokens = new CoalescingTokenStore(stored, interval, claimTimeout);
        assertThat(tokens.fetchToken(PROCESSOR, 0)).isEqualTo(at(0));
        return tokens;
    }

    @Test
    void stepsForwardWithinTheIntervalWaitAndTheNewestIsWrittenBeforeTheClaimIsReleased() {
        claimed(NEVER, Duration.ofSeconds(10));
        tokens.storeToken(at(1), PROCESSOR, 0);
        tokens.storeToken(at(2), PROCESSOR, 0);
        tokens.storeToken(at(3), PROCESSOR, 0);
        assertThat(stored.writes).isEmpty();

        tokens.releaseClaim(PROCESSOR, 0);
        assertThat(stored.writes).containsExactly(at(3));
        assertThat(stored.fetchToken(PROCESSOR, 0)).isEqualTo(at(3));
    }

    @Test
    void aWaitingTokenIsWrittenOnceTheIntervalHasPassedWithoutAnotherCall() {
        claimed(Duration.ofMillis(50), Duration.ofSeconds(10));
        for (int i = 1; i <= 20; i++) {
            tokens.storeToken(at(i), PROCESSOR, 0);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> at(20).equals(stored.current()));
        assertThat(stored.writes).as("a write or two for twenty steps").hasSizeLessThan(5).last().isEqualTo(at(20));
    }

    @Test
    void aTokenThatDoesNotMoveForwardIsWrittenAtOnce() {
        claimed(NEVER, Duration.ofSeconds(10));
        tokens.storeToken(at(5), PROCESSOR, 0);
        TrackingToken reset = ReplayToken.createReplayToken(at(5), null);
        tokens.storeToken(reset, PROCESSOR, 0);
        assertThat(stored.writes).containsExactly(reset);

        // nothing older than the reset is written afterwards
        tokens.releaseClaim(PROCESSOR, 0);
        assertThat(stored.writes).containsExactly(reset);
    }

    @Test
    void claimingAgainWritesTheWaitingTokenFirst() {
        claimed(NEVER, Duration.ofSeconds(10));
        tokens.storeToken(at(7), PROCESSOR, 0);
        assertThat(tokens.fetchToken(PROCESSOR, 0)).isEqualTo(at(7));
    }

    @Test
    void aFreshClaimIsNotExtendedAgainNorDoesItWriteTheWaitingToken() {
        claimed(NEVER, Duration.ofSeconds(10));
        tokens.storeToken(at(1), PROCESSOR, 0);
        for (int i = 0; i < 10; i++) {
            tokens.extendClaim(PROCESSOR, 0); // as a processor does before each batch
        }
        assertThat(stored.extensions).hasValue(0);
        assertThat(stored.writes).isEmpty();
    }

    @Test
    void aClaimOlderThanAFifthOfItsTimeoutIsExtended() {
        claimed(NEVER, Duration.ZERO);
        tokens.extendClaim(PROCESSOR, 0);
        tokens.extendClaim(PROCESSOR, 0);
        assertThat(stored.extensions).hasValue(2);
    }

    @Test
    void extendingAClaimThatIsNotFreshWritesTheWaitingTokenInstead() {
        claimed(NEVER, Duration.ZERO);
        tokens.storeToken(at(4), PROCESSOR, 0);
        assertThat(stored.writes).isEmpty();
        tokens.extendClaim(PROCESSOR, 0);
        assertThat(stored.writes).containsExactly(at(4));
        assertThat(stored.extensions).as("the token's write extended the claim").hasValue(0);
    }

    @Test
    void aClaimLostWhileATokenWaitedIsReportedOnTheNextCall() {
        claimed(Duration.ofMillis(20), Duration.ofSeconds(10));
        stored.claimLost.set(true);
        tokens.storeToken(at(1), PROCESSOR, 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> stored.refused.get() > 0);
        assertThatThrownBy(() -> tokens.storeToken(at(2), PROCESSOR, 0)).isInstanceOf(UnableToClaimTokenException.class);
    }

    @Test
    void closingWritesEveryWaitingToken() {
        claimed(NEVER, Duration.ofSeconds(10));
        tokens.storeToken(at(9), PROCESSOR, 0);
        tokens.close();
        assertThat(stored.current()).isEqualTo(at(9));
    }

    private static TrackingToken at(long position) {
        return new GlobalSequenceTrackingToken(position);
    }

    /** An in-memory token store that records what reached it. */
    private static final class RecordingTokenStore extends InMemoryTokenStore {
        final List<TrackingToken> writes = new CopyOnWriteArrayList<>();
        final AtomicInteger extensions = new AtomicInteger();
        final AtomicBoolean claimLost = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public void storeToken(TrackingToken token, String processorName, int segment) {
            if (claimLost.get()) {
                refused.incrementAndGet();
                throw new UnableToClaimTokenException("claimed by another instance");
            }
            writes.add(token);
            super.storeToken(token, processorName, segment);
        }

        @Override
        public void extendClaim(String processorName, int segment) {
            extensions.incrementAndGet();
            super.extendClaim(processorName, segment);
        }

        TrackingToken current() {
            return fetchToken(PROCESSOR, 0);
        }
    }
}
