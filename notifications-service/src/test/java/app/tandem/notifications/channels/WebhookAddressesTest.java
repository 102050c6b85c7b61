package app.tandem.notifications.channels;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Webhooks never point into the service's own network; on a developer's machine, only at the machine itself. */
class WebhookAddressesTest {

    /** Names as a hostile DNS could answer them; other names are not found. */
    private static final WebhookAddresses.Resolver DNS = host -> {
        Map<String, String> names = Map.of("rebound.example", "127.0.0.1", "metadata.example", "169.254.169.254",
                "mixed.example", "93.184.216.34", "hooks.example", "93.184.216.34");
        if (host.equals("mixed.example")) {
            return new InetAddress[]{InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.7")};
        }
        if (!names.containsKey(host)) {
            if (host.equals("localhost") || host.startsWith("[") || host.matches("[0-9.]+")) {
                return InetAddress.getAllByName(host); // the machine's own name and address literals need no DNS
            }
            throw new UnknownHostException(host);
        }
        return new InetAddress[]{InetAddress.getByName(names.get(host))};
    };

    private final WebhookAddresses strict = new WebhookAddresses(false, DNS, Duration.ofSeconds(2));
    private final WebhookAddresses onThisMachine = new WebhookAddresses(true, DNS, Duration.ofSeconds(2));

    @Test
    void addressesInsideTheNetworkAreRefusedForGood() {
        for (String url : List.of("https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data",
                "https://172.16.0.1/", "https://192.168.1.10/", "https://100.64.0.1/", "https://0.0.0.0/", "https://224.0.0.1/",
                "https://[::1]/", "https://[fd00:ec2::254]/", "https://[fe80::1]/", "https://[::ffff:10.0.0.1]/",
                "https://[64:ff9b::a9fe:a9fe]/", "https://[::ffff:169.254.169.254]/", "https://[::ffff:7f00:1]/",
                "https://[2002:a9fe:a9fe::1]/", "https://[ff02::1]/", "https://[::]/", "https://100.127.255.254/", "https://192.0.2.1/", "https://rebound.example/hook", "https://metadata.example/",
                "https://mixed.example/")) {
            assertThat(strict.refusal(url)).as(url).hasValueSatisfying(refusal -> {
                assertThat(refusal.lasting()).isTrue();
                assertThat(refusal.reason()).isEqualTo("must point at a public address");
            });
        }
        assertThat(strict.refusal("https://localhost/hook")).as("a name the machine resolves to itself").isPresent();
    }

    @Test
    void onlyHttpsToAPublicAddressIsTaken() {
        assertThat(strict.refusal("https://hooks.example/tandem")).isEmpty();
        assertThat(strict.refusal("https://93.184.216.34:8443/tandem")).isEmpty();
        assertThat(strict.refusal("https://[2606:2800:220:1:248:1893:25c8:1946]/tandem")).isEmpty();
        for (String url : List.of("http://hooks.example/tandem", "ftp://hooks.example/", "https:///no-host", "not a url",
                "https://user:secret@hooks.example/")) {
            assertThat(strict.refusal(url)).as(url).hasValueSatisfying(refusal -> assertThat(refusal.lasting()).isTrue());
        }
        assertThat(strict.refusal("https://gone.example/")).as("not found now: tried again later")
                .hasValueSatisfying(refusal -> assertThat(refusal.lasting()).isFalse());
    }

    @Test
    void aLookupThatHangsCountsAsNotFoundNowAndEndsInTime() {
        WebhookAddresses slowDns = new WebhookAddresses(false, host -> {
            try {
                Thread.sleep(10_000); // a resolver that does not answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[]{InetAddress.getByName("93.184.216.34")};
        }, Duration.ofMillis(200));
        long started = System.nanoTime();
        assertThat(slowDns.refusal("https://slow.example/hook")).hasValueSatisfying(refusal -> assertThat(refusal.lasting()).isFalse());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void theCheckedAddressesAreTheOnesFoundAndNoneIsInside() throws Exception {
        assertThat(strict.checkedAddressesOf("hooks.example")).containsExactly(InetAddress.getByName("93.184.216.34"));
        assertThatThrownBy(() -> strict.checkedAddressesOf("mixed.example")).isInstanceOfSatisfying(WebhookAddresses.RefusedHost.class,
                e -> assertThat(e.getMessage()).doesNotContain("10.0.0.7").doesNotContain("mixed"));
    }

    @Test
    void onADevelopersMachineHttpAndTheMachineItselfAreTakenButNothingElseInside() {
        assertThat(onThisMachine.refusal("http://127.0.0.1:8080/hook")).isEmpty();
        assertThat(onThisMachine.refusal("https://rebound.example/hook")).isEmpty();
        assertThat(onThisMachine.refusal("http://169.254.169.254/latest/meta-data")).isPresent();
        assertThat(onThisMachine.refusal("http://10.1.2.3/hook")).isPresent();
    }

    /**
     * A name server that drops queries for the attacker's zone: the system's resolver cannot be interrupted, so those
     * lookups keep their threads. Sends still look up other hosts; a set-time lookup that finds no thread is "busy",
     * not a refusal of the URL; a person has a few set-time lookups at once.
     */
    @Test
    void lookupsStuckAtAnAttackersNameServerLeaveSendsTheirOwnThreads() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        WebhookAddresses addresses = new WebhookAddresses(false, host -> {
            if (host.endsWith(".attacker.example")) {
                while (true) {
                    try {
                        answer.await();
                        break;
                    } catch (InterruptedException e) {
                        // as the system's resolver does: an interrupt does not end the lookup
                    }
                }
            }
            return DNS.addressesOf(host.endsWith(".attacker.example") ? "hooks.example" : host);
        }, Duration.ofMillis(200));
        ExecutorService callers = Executors.newFixedThreadPool(WebhookAddresses.LOOKUPS_AT_ONCE + 2);
        try {
            List<Future<java.util.Optional<WebhookAddresses.Refusal>>> stuck = new ArrayList<>();
            for (int i = 0; i < WebhookAddresses.LOOKUPS_AT_ONCE + 2; i++) {
                String person = "mallory-" + i;
                String url = "https://r" + i + ".attacker.example/hook";
                stuck.add(callers.submit(() -> addresses.refusal(url, person)));
            }
            for (Future<java.util.Optional<WebhookAddresses.Refusal>> each : stuck) {
                assertThat(each.get()).as("the URL may be fine: not now, not refused")
                        .hasValueSatisfying(refusal -> assertThat(refusal.busy()).isTrue());
            }
            assertThat(addresses.refusal("https://hooks.example/tandem", "robin")).as("every set-time thread is stuck")
                    .hasValueSatisfying(refusal -> assertThat(refusal.busy()).isTrue());
            // sends look up on their own threads
            assertThat(addresses.checkedAddressesOf("hooks.example")).containsExactly(InetAddress.getByName("93.184.216.34"));
            assertThatThrownBy(() -> addresses.checkedAddressesOf("gone.example")).as("a name not found is still not found")
                    .isInstanceOfSatisfying(WebhookAddresses.RefusedHost.class, e -> assertThat(e.refusal().busy()).isFalse());
            long started = System.nanoTime();
            for (int i = 0; i < WebhookAddresses.LOOKUPS_AT_ONCE; i++) {
                int n = i;
                assertThatThrownBy(() -> addresses.checkedAddressesOf("s" + n + ".attacker.example"))
                        .isInstanceOf(WebhookAddresses.LookupBusy.class);
            }
            assertThatThrownBy(() -> addresses.checkedAddressesOf("hooks.example")).as("no send thread free: busy, not not-found")
                    .isInstanceOfSatisfying(WebhookAddresses.LookupBusy.class, e -> {
                        assertThat(SendFailures.lookupBusy(e)).isTrue();
                        assertThat(SendFailures.codeOf(e)).endsWith("lookup busy");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            answer.countDown();
            callers.shutdownNow();
        }
        // once the name server answers, threads are free again
        Thread.sleep(100);
        assertThat(addresses.refusal("https://hooks.example/tandem", "robin")).isEmpty();
    }

    @Test
    void aPersonHasAFewSetTimeLookupsAtOnce() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        WebhookAddresses addresses = new WebhookAddresses(false, host -> {
            if (host.endsWith(".attacker.example")) {
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return DNS.addressesOf("hooks.example");
        }, Duration.ofSeconds(5));
        ExecutorService callers = Executors.newFixedThreadPool(WebhookAddresses.LOOKUPS_PER_PERSON);
        try {
            for (int i = 0; i < WebhookAddresses.LOOKUPS_PER_PERSON; i++) {
                String url = "https://p" + i + ".attacker.example/hook";
                callers.submit(() -> addresses.refusal(url, "mallory"));
            }
            Thread.sleep(200);
            assertThat(addresses.refusal("https://hooks.example/tandem", "mallory")).hasValueSatisfying(r -> assertThat(r.busy()).isTrue());
            assertThat(addresses.refusal("https://hooks.example/tandem", "robin")).as("someone else").isEmpty();
        } finally {
            answer.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void aDeploymentCanDenyRangesOfItsOwn() {
        WebhookAddresses denying = new WebhookAddresses(false, DNS, Duration.ofSeconds(2), List.of("2606:2800::/32", "93.184.0.0/16"));
        assertThat(denying.refusal("https://[2606:2800:220:1:248:1893:25c8:1946]/tandem")).hasValueSatisfying(r -> assertThat(r.lasting()).isTrue());
        assertThat(denying.refusal("https://hooks.example/tandem")).hasValueSatisfying(r -> assertThat(r.lasting()).isTrue());
        assertThat(denying.refusal("https://[::ffff:93.184.216.34]/")).as("an IPv6 form of a denied IPv4 address").isPresent();
        assertThat(denying.refusal("https://[2001:4860::8888]/tandem")).isEmpty();
        for (String wrong : List.of("2606:2800::", "example.org/8", "10.0.0.0/33", "10.0.0.0/x")) {
            assertThatThrownBy(() -> WebhookAddresses.AddressRange.parse(wrong)).as(wrong).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
