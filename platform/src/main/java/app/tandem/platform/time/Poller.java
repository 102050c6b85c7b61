package app.tandem.platform.time;

import app.tandem.platform.logging.Redacted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * Runs one piece of due work on its own thread every {@code interval} while the service runs: the loop behind
 * work whose state lives in the database ({@link DueTimers}, the outbox, reminders), so a restart loses nothing.
 * A failing run is logged and retried at the next interval.
 */
public final class Poller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Poller.class);

    private final String name;
    private final Duration interval;
    private final Runnable work;
    private volatile boolean running;
    private Thread thread;

    /** {@code work} stops early when its thread is interrupted: the service is stopping. */
    public Poller(String name, Duration interval, Runnable work) {
        this.name = name;
        this.interval = interval;
        this.work = work;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::poll, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        while (running) {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.warn("{} failed; retrying in {}", name, interval, Redacted.of(e));
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
