package app.tandem.bench;

import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordCheckInResponse;
import app.tandem.api.v1.Visibility;
import io.grpc.stub.StreamObserver;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;

/**
 * Load at a fixed rate with at most {@link #MAX_IN_FLIGHT} calls open: a stack that cannot keep up is measured at the
 * rate it sustains instead of drowning in queued calls.
 */
final class FixedRate {

    static final int MAX_IN_FLIGHT = 64;

    private FixedRate() {
    }

    /**
     * Makes {@code rate} calls a second for {@code seconds}: {@code send} starts the i-th and runs the runnable it is given
     * once the call ended, however it ended.
     *
     * @return the calls made
     */
    static int drive(int rate, int seconds, ObjIntConsumer<Runnable> send) throws InterruptedException {
        int total = rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        CountDownLatch done = new CountDownLatch(total);
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        for (int i = 0; i < total; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight.acquire();
            send.accept(() -> {
                inFlight.release();
                done.countDown();
            }, i);
        }
        done.await(60, TimeUnit.SECONDS);
        return total;
    }

    /** A check-in shared with the partner: its id goes to {@code answered}, a failure is counted, then {@code ended} runs. */
    static void shareCheckIn(JournalServiceGrpc.JournalServiceStub author, String coupleId, Consumer<String> answered,
                             AtomicInteger failures, Runnable ended) {
        author.withDeadlineAfter(30, TimeUnit.SECONDS).recordCheckIn(RecordCheckInRequest.newBuilder()
                .setIdempotencyKey(UUID.randomUUID().toString()).setCoupleId(coupleId).setMood(3).setCravingIntensity(4)
                .setVisibility(Visibility.SHARED_WITH_PARTNER).build(), new StreamObserver<>() {
            @Override
            public void onNext(RecordCheckInResponse response) {
                answered.accept(response.getCheckInId());
            }

            @Override
            public void onError(Throwable t) {
                failures.incrementAndGet();
                ended.run();
            }

            @Override
            public void onCompleted() {
                ended.run();
            }
        });
    }
}
