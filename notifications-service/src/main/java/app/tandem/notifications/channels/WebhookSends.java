package app.tandem.notifications.channels;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook sends on threads of their own, at most {@code perHost} to one host and {@code total} in all at once, so a
 * receiver that is slow or hangs holds only its own host's few threads: other hosts' webhooks, e-mail and the inbox
 * go on. A send that finds no room is not started here at all; the caller puts it back for later.
 * <p>
 * Many names can point at one server (a wildcard DNS entry), so once a send knows the address it connects to, that
 * address too must have room ({@link #tryHoldAddress}): {@code perHost} sends at once to one address, whatever names.
 */
final class WebhookSends implements AutoCloseable {

    private final int total;
    private final int perHost;
    private final ThreadPoolExecutor threads;
    private final Map<String, Integer> runningByHost = new HashMap<>();
    private final Map<InetAddress, Integer> runningByAddress = new HashMap<>();
    private int running;

    WebhookSends(int total, int perHost) {
        this.total = total;
        this.perHost = perHost;
        AtomicInteger numbers = new AtomicInteger();
        // never more tasks than threads: a send starts only when one is free, so nothing waits in the queue
        this.threads = new ThreadPoolExecutor(total, total, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "webhook-send-" + numbers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.threads.allowCoreThreadTimeOut(true);
    }

    /** Whether a send to some host could start now. */
    synchronized boolean hasRoom() {
        return running < total;
    }

    /** Hosts with as many sends running as they may have, at most {@code most} of them. */
    synchronized List<String> busyHosts(int most) {
        return runningByHost.entrySet().stream().filter(e -> e.getValue() >= perHost).map(Map.Entry::getKey).limit(most).toList();
    }

    /** Starts {@code send} to {@code host} if there is room for it; false, and nothing started, if there is not. */
    boolean tryStart(String host, Runnable send) {
        synchronized (this) {
            if (running >= total || runningByHost.getOrDefault(host, 0) >= perHost) {
                return false;
            }
            running++;
            runningByHost.merge(host, 1, Integer::sum);
        }
        try {
            threads.execute(() -> {
                try {
                    send.run();
                } finally {
                    finished(host);
                }
            });
            return true;
        } catch (RuntimeException e) {
            finished(host); // shutting down
            return false;
        }
    }

    /** Whether a send may connect to {@code address} now; if so, it holds a place there until {@link #releaseAddress}. */
    synchronized boolean tryHoldAddress(InetAddress address) {
        if (runningByAddress.getOrDefault(address, 0) >= perHost) {
            return false;
        }
        runningByAddress.merge(address, 1, Integer::sum);
        return true;
    }

    synchronized void releaseAddress(InetAddress address) {
        runningByAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }

    private synchronized void finished(String host) {
        running--;
        runningByHost.computeIfPresent(host, (h, n) -> n == 1 ? null : n - 1);
    }

    /** Sends still running are interrupted; their messages stay claimed until the lease ends and are sent again then. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
