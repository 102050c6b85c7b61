package app.tandem.notifications.channels;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Webhook sends against real receivers on this machine: a connection goes to the address that was checked, whatever
 * the name resolves to a moment later, and a receiver that hangs holds only its own host's sends.
 */
class WebhookSendsTest {

    private HttpServer receiver;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private int port;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.createContext("/fast", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/hang", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                release.await(30, TimeUnit.SECONDS); // a receiver that never answers in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        port = receiver.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        release.countDown();
        receiver.stop(0);
    }

    /** Names as a hostile DNS answers them: both hosts are this machine, the second only after its first lookup. */
    private static WebhookAddresses.Resolver dns(AtomicInteger reboundLookups) {
        return host -> switch (host) {
            case "slow.example", "quick.example" -> new InetAddress[]{InetAddress.getByName("127.0.0.1")};
            case "rebound.example" -> new InetAddress[]{InetAddress.getByName(reboundLookups.incrementAndGet() == 1 ? "93.184.216.34" : "127.0.0.1")};
            default -> throw new UnknownHostException("not in this test's DNS");
        };
    }

    @Test
    void aReceiverThatHangsDelaysNoOtherHost() throws Exception {
        WebhookAddresses addresses = new WebhookAddresses(true, dns(new AtomicInteger()), Duration.ofSeconds(1));
        try (WebhookChannel channel = new WebhookChannel(addresses, Duration.ofSeconds(1), Duration.ofSeconds(5), 2, 4);
             WebhookSends sends = new WebhookSends(4, 2)) {
            AtomicInteger hangsEnded = new AtomicInteger();
            Runnable hang = () -> {
                try {
                    channel.send("http://slow.example:" + port + "/hang", "a-secret-of-thirty-two-characters", "{}", "d-slow", 1);
                } catch (Exception e) {
                    // the hard end of a send
                } finally {
                    hangsEnded.incrementAndGet();
                }
            };
            assertThat(sends.tryStart("slow.example", hang)).isTrue();
            assertThat(sends.tryStart("slow.example", hang)).isTrue();
            assertThat(sends.tryStart("slow.example", hang)).as("the hanging host is at its limit: put back, not queued").isFalse();

            CountDownLatch quickDone = new CountDownLatch(1);
            long started = System.nanoTime();
            assertThat(sends.tryStart("quick.example", () -> {
                try {
                    channel.send("http://quick.example:" + port + "/fast", "a-secret-of-thirty-two-characters", "{}", "d-quick", 1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    quickDone.countDown();
                }
            })).isTrue();
            assertThat(quickDone.await(3, TimeUnit.SECONDS)).isTrue();
            Duration quick = Duration.ofNanos(System.nanoTime() - started);
            assertThat(quick).as("a send to another host while two hang").isLessThan(Duration.ofSeconds(1));
            assertThat(received).containsExactly("quick.example:" + port);
            assertThat(hangsEnded).as("still hanging meanwhile").hasValue(0);
            System.out.printf("webhook to another host while one hangs: %d ms%n", quick.toMillis());

            // each send has a hard end (connect + response timeouts), after which its host has room again
            long hangStarted = System.nanoTime();
            while (hangsEnded.get() < 2 && System.nanoTime() - hangStarted < TimeUnit.SECONDS.toNanos(10)) {
                Thread.sleep(50);
            }
            assertThat(hangsEnded).hasValue(2);
            Thread.sleep(50);
            assertThat(sends.tryStart("slow.example", () -> { })).isTrue();
        }
    }

    @Test
    void theConnectionGoesToTheAddressCheckedAndARebindingIsRefused() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        WebhookAddresses strict = new WebhookAddresses(false, dns(lookups), Duration.ofSeconds(1));
        // the check when the webhook is set sees a public address ...
        assertThat(strict.refusal("https://rebound.example/hook")).isEmpty();
        try (WebhookChannel channel = new WebhookChannel(strict, Duration.ofSeconds(1), Duration.ofSeconds(2), 2, 4)) {
            // ... the send's own lookup finds this machine: refused for good before any connection is made
            assertThatThrownBy(() -> channel.send("http://rebound.example:" + port + "/fast", "a-secret-of-thirty-two-characters",
                    "{}", "d-1", 1)).isInstanceOfSatisfying(WebhookAddresses.RefusedHost.class,
                    e -> assertThat(e.refusal().lasting()).isTrue());
            assertThatThrownBy(() -> channel.send("http://127.0.0.1:" + port + "/fast", "a-secret-of-thirty-two-characters",
                    "{}", "d-2", 1)).as("an address literal is checked too").isInstanceOf(WebhookAddresses.RefusedHost.class);
        }
        assertThat(received).isEmpty();
        assertThat(SendFailures.codeOf(new WebhookAddresses.RefusedHost(new WebhookAddresses.Refusal("must point at a public address", true))))
                .isEqualTo(WebhookAddresses.RefusedHost.class.getName() + " address refused");
        assertThat(SendFailures.codeOf(new WebhookChannel.Answered(503))).endsWith("http 503");
    }

    /** A receiver that answers "200 OK" and then {@code endless} over and over until the client hangs up. */
    private static ServerSocket endlessAnswer(String endless) throws IOException {
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        Thread thread = new Thread(() -> {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                String request = "";
                while (!request.contains("\r\n\r\n")) {
                    int read = in.read(buffer);
                    if (read < 0) {
                        return;
                    }
                    request += new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
                }
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.ISO_8859_1));
                byte[] again = endless.repeat(64).getBytes(StandardCharsets.ISO_8859_1);
                while (true) {
                    out.write(again);
                }
            } catch (IOException e) {
                // the client hung up
            }
        }, "endless-receiver");
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    @Test
    void aReceiverThatSendsAnEndlessHeaderIsCutOffAtOnce() throws Exception {
        WebhookAddresses addresses = new WebhookAddresses(true, dns(new AtomicInteger()), Duration.ofSeconds(1));
        try (WebhookChannel channel = new WebhookChannel(addresses, Duration.ofSeconds(1), Duration.ofSeconds(8), 2, 4)) {
            for (String endless : List.of("a", "X-More: yes\r\n")) {
                try (ServerSocket server = endlessAnswer(endless)) {
                    long started = System.nanoTime();
                    assertThatThrownBy(() -> channel.send("http://quick.example:" + server.getLocalPort() + "/hook",
                            "a-secret-of-thirty-two-characters", "{}", "d-endless", 1))
                            .as(endless.length() == 1 ? "an endless header line" : "endless headers")
                            .isInstanceOfSatisfying(IOException.class, e -> assertThat(SendFailures.codeOf(e))
                                    .isEqualTo(e.getClass().getName()).doesNotContain("X-More"));
                    // without limits, the client reads (and holds) until the send's hard end, nine seconds here
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
                }
            }
            channel.send("http://quick.example:" + port + "/fast", "a-secret-of-thirty-two-characters", "{}", "d-after", 1);
            assertThat(received).as("the next send goes through").containsExactly("quick.example:" + port);
        }
    }

    @Test
    void manyNamesForOneAddressShareItsLimit() throws Exception {
        try (WebhookSends sends = new WebhookSends(8, 2)) {
            InetAddress one = InetAddress.getByName("127.0.0.1");
            assertThat(sends.tryHoldAddress(one)).isTrue();
            assertThat(sends.tryHoldAddress(one)).isTrue();
            assertThat(sends.tryHoldAddress(one)).as("a third name for the same server").isFalse();
            assertThat(sends.tryHoldAddress(InetAddress.getByName("127.0.0.2"))).isTrue();
            sends.releaseAddress(one);
            assertThat(sends.tryHoldAddress(one)).isTrue();
        }
    }

    @Test
    void aSendGoesToTheAddressItWasGivenAndNamesTheUrlsHost() throws Exception {
        WebhookAddresses nothingResolves = new WebhookAddresses(true, host -> {
            throw new UnknownHostException("no lookup expected");
        }, Duration.ofSeconds(1));
        try (WebhookChannel channel = new WebhookChannel(nothingResolves, Duration.ofSeconds(1), Duration.ofSeconds(2), 2, 4)) {
            channel.send("http://hooks.example:" + port + "/fast", InetAddress.getByName("127.0.0.1"),
                    "a-secret-of-thirty-two-characters", "{}", "d-pinned", 1);
        }
        assertThat(received).containsExactly("hooks.example:" + port);
    }

    @Test
    void aBusyHostIsPutBackLaterEachTimeAndLogsNameNoPerson() {
        assertThat(OutboxSender.deferWait(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(OutboxSender.deferWait(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(OutboxSender.deferWait(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(OutboxSender.deferWait(40)).isEqualTo(OutboxSender.LONGEST_DEFERRAL);
        Outbox.Message message = new Outbox.Message("event-1/person-7/WEBHOOK", Outbox.Channel.WEBHOOK, "event-1/person-7", "person-7",
                false, Instant.EPOCH, 0, null, 0, null);
        assertThat(OutboxSender.logged(message)).isEqualTo("event-1 WEBHOOK").doesNotContain("person-7");
        assertThat(OutboxSender.logged(new Outbox.Message("challenge:c-1/EMAIL", Outbox.Channel.EMAIL, "challenge:c-1", "person-7",
                false, Instant.EPOCH, 0, "c-1", 0, null))).isEqualTo("challenge:c-1 EMAIL");
    }
}
