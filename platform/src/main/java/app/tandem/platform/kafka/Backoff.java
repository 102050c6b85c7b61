package app.tandem.platform.kafka;

import java.time.Duration;

/** Exponential back-off for work that is retried until it succeeds: it doubles up to a ceiling and resets on success. */
final class Backoff {

    private static final Duration CEILING = Duration.ofSeconds(30);

    private final Duration initial;
    private Duration current;

    Backoff(Duration initial) {
        this.initial = initial;
        this.current = initial;
    }

    Duration current() {
        return current;
    }

    /** Waits the current delay, then doubles it. */
    void pause() {
        sleep(current);
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(CEILING) > 0 ? CEILING : doubled;
    }

    void reset() {
        current = initial;
    }

    /** Sleeps, keeping the thread's interrupt status if it is interrupted. */
    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
