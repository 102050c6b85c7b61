package app.tandem.notifications.channels;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where a webhook may point: an https URL whose host resolves only to public addresses, so a webhook cannot make the
 * service call into its own network (loopback, private, link-local such as cloud metadata at 169.254.169.254,
 * carrier-grade NAT, unique-local, multicast, reserved). On a developer's machine ({@code allowLocal}) http and this
 * machine's own addresses are allowed too, nothing else.
 * <p>
 * {@link #checkedAddressesOf} is also the webhook client's only resolver, so a connection goes to exactly the
 * addresses that were checked: a name that resolves elsewhere a moment later (DNS rebinding) changes nothing. A
 * lookup takes at most {@code lookupTimeout}.
 * <p>
 * The system's resolver cannot be interrupted: a name server that drops queries keeps a lookup thread past the
 * timeout. So lookups when a webhook is set and lookups before a send have pools of their own, a person has at most
 * {@link #LOOKUPS_PER_PERSON} set-time lookups running, and a lookup that found no thread or ran out of time is
 * "busy", not "not found": the URL may be fine, and a send is put back without counting an attempt. (A resolver
 * with its own timeouts would need a DNS client library; see docs/decisions/webhook-lookups.md.)
 */
public final class WebhookAddresses {

    static final int LOOKUPS_AT_ONCE = 8;
    static final int LOOKUPS_PER_PERSON = 2;

    /**
     * Why a webhook URL is refused, as a field violation says it ("must …"); {@code lasting} false: the name did not
     * resolve now; {@code busy}: no lookup could be made now, which says nothing about the URL.
     */
    public record Refusal(String reason, boolean lasting, boolean busy) {

        public Refusal(String reason, boolean lasting) {
            this(reason, lasting, false);
        }
    }

    /** A host refused by the check; its message is ours and names no address. */
    public static final class RefusedHost extends UnknownHostException {
        private final transient Refusal refusal;

        RefusedHost(Refusal refusal) {
            super(refusal.reason());
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** No lookup could be made now: every lookup thread is taken, or the name server did not answer in time. */
    public static final class LookupBusy extends UnknownHostException {
        LookupBusy() {
            super(BUSY.reason());
        }
    }

    /** Looks up a host's addresses; the system's resolver outside tests. */
    public interface Resolver {
        InetAddress[] addressesOf(String host) throws UnknownHostException;
    }

    private static final Refusal NOT_FOUND = new Refusal("must name a host that can be found", false);
    private static final Refusal NOT_PUBLIC = new Refusal("must point at a public address", true);
    private static final Refusal BUSY = new Refusal("could not be looked up now; try again in a minute", false, true);

    private final boolean allowLocal;
    private final Resolver resolver;
    private final Duration lookupTimeout;
    private final List<AddressRange> denied;
    // a slow lookup runs on one of these while the caller waits only so long
    private final ThreadPoolExecutor settingLookups = lookupThreads("webhook-lookup-set");
    private final ThreadPoolExecutor sendingLookups = lookupThreads("webhook-lookup-send");
    private final Map<String, Integer> runningByPerson = new HashMap<>();

    public WebhookAddresses(boolean allowLocal, Duration lookupTimeout, List<String> deniedRanges) {
        this(allowLocal, InetAddress::getAllByName, lookupTimeout, deniedRanges);
    }

    WebhookAddresses(boolean allowLocal, Resolver resolver, Duration lookupTimeout) {
        this(allowLocal, resolver, lookupTimeout, List.of());
    }

    WebhookAddresses(boolean allowLocal, Resolver resolver, Duration lookupTimeout, List<String> deniedRanges) {
        this.allowLocal = allowLocal;
        this.resolver = resolver;
        this.lookupTimeout = lookupTimeout;
        this.denied = deniedRanges.stream().map(AddressRange::parse).toList();
    }

    private static ThreadPoolExecutor lookupThreads(String name) {
        return new ThreadPoolExecutor(0, LOOKUPS_AT_ONCE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** As {@link #refusal(String, String)}, counted against no one. */
    public Optional<Refusal> refusal(String url) {
        return refusal(url, null);
    }

    /**
     * Why {@code url} may not be called, if it may not: its form, then every address its host has now. The lookup
     * counts against {@code personId}'s few at once; a {@link Refusal#busy() busy} refusal says only "not now".
     */
    public Optional<Refusal> refusal(String url, String personId) {
        Optional<Refusal> form = formRefusal(url);
        if (form.isPresent()) {
            return form;
        }
        if (personId != null) {
            synchronized (runningByPerson) {
                if (runningByPerson.getOrDefault(personId, 0) >= LOOKUPS_PER_PERSON) {
                    return Optional.of(BUSY);
                }
                runningByPerson.merge(personId, 1, Integer::sum);
            }
        }
        try {
            checked(URI.create(url).getHost(), settingLookups, () -> {
                if (personId != null) {
                    synchronized (runningByPerson) {
                        runningByPerson.computeIfPresent(personId, (p, n) -> n == 1 ? null : n - 1);
                    }
                }
            });
            return Optional.empty();
        } catch (LookupBusy e) {
            return Optional.of(BUSY);
        } catch (RefusedHost e) {
            return Optional.of(e.refusal());
        } catch (UnknownHostException e) {
            return Optional.of(NOT_FOUND);
        }
    }

    /** Why {@code url} is not a webhook URL at all, without looking its host up. */
    public Optional<Refusal> formRefusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return refused("must be an https URL");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        boolean http = "http".equalsIgnoreCase(uri.getScheme());
        if (!https && !(http && allowLocal) || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return refused(allowLocal ? "must be an http or https URL with a host" : "must be an https URL with a host");
        }
        return Optional.empty();
    }

    /**
     * The addresses of {@code host} for a send, every one of them allowed; a connection may go to any of these and
     * nowhere else. {@link LookupBusy} when no lookup could be made now.
     */
    public InetAddress[] checkedAddressesOf(String host) throws UnknownHostException {
        return checked(host, sendingLookups, () -> { });
    }

    private InetAddress[] checked(String host, ThreadPoolExecutor lookups, Runnable whenLookupEnds) throws UnknownHostException {
        InetAddress[] addresses = lookUp(host, lookups, whenLookupEnds);
        if (addresses == null || addresses.length == 0) {
            throw new RefusedHost(NOT_FOUND);
        }
        for (InetAddress address : addresses) {
            if ((address.isLoopbackAddress() ? !allowLocal : !isPublic(address)) || denied.stream().anyMatch(range -> range.contains(address))) {
                throw new RefusedHost(NOT_PUBLIC); // which one it found is not told
            }
        }
        return addresses.clone();
    }

    private InetAddress[] lookUp(String host, ThreadPoolExecutor lookups, Runnable whenLookupEnds) throws UnknownHostException {
        Future<InetAddress[]> lookup;
        try {
            lookup = lookups.submit(() -> {
                try {
                    return resolver.addressesOf(host);
                } finally {
                    whenLookupEnds.run(); // only now is its thread free again, however long the caller waited
                }
            });
        } catch (RejectedExecutionException e) {
            whenLookupEnds.run();
            throw new LookupBusy(); // every lookup thread waits on a slow name server
        }
        try {
            return lookup.get(lookupTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LookupBusy();
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new LookupBusy();
        } catch (ExecutionException e) {
            throw new RefusedHost(NOT_FOUND);
        }
    }

    private static Optional<Refusal> refused(String reason) {
        return Optional.of(new Refusal(reason, true));
    }

    /** Whether the address belongs to the public internet. */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(bytes);
        }
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7, among them fd00:ec2::254 (cloud metadata)
            }
            if (isPrefix(bytes, new byte[]{0, 0x64, (byte) 0xff, (byte) 0x9b}) || isPrefix(bytes, new byte[12])
                    || isPrefix(bytes, new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff})) {
                // NAT64 (64:ff9b::/96), IPv4-compatible and IPv4-mapped addresses carry an IPv4 address: judge that one
                return isPublicV4(Arrays.copyOfRange(bytes, 12, 16));
            }
            if (isPrefix(bytes, new byte[]{0x20, 0x02})) {
                return isPublicV4(Arrays.copyOfRange(bytes, 2, 6)); // 6to4 (2002::/16) carries one after its prefix
            }
            return (first & 0xe0) == 0x20; // global unicast 2000::/3
        }
        return false;
    }

    private static boolean isPublicV4(byte[] v4) {
        int a = v4[0] & 0xff;
        int b = v4[1] & 0xff;
        int c = v4[2] & 0xff;
        return !(a == 0 || a == 10 || a == 127 || a >= 224                    // this network, private, loopback, multicast, reserved
                || (a == 100 && b >= 64 && b <= 127)                          // carrier-grade NAT
                || (a == 169 && b == 254) || (a == 172 && b >= 16 && b <= 31) // link-local (cloud metadata), private
                || (a == 192 && b == 168) || (a == 192 && b == 0 && (c == 0 || c == 2)) // private, IETF protocol, documentation
                || (a == 198 && (b == 18 || b == 19))                         // benchmarking
                || (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113)); // documentation
    }

    private static boolean isPrefix(byte[] bytes, byte[] prefix) {
        return Arrays.equals(Arrays.copyOf(bytes, prefix.length), prefix);
    }

    /** A range of addresses a deployment keeps webhooks out of besides the ones always refused, written as CIDR. */
    public record AddressRange(byte[] network, int bits) {

        /** "2001:db8::/32" or "10.0.0.0/8"; only address literals, never a name to look up. */
        public static AddressRange parse(String cidr) {
            int slash = cidr.indexOf('/');
            String literal = slash < 0 ? "" : cidr.substring(0, slash).trim();
            if (!literal.contains(":") && !literal.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
                throw new IllegalArgumentException("\"" + cidr + "\" is not a range such as 10.0.0.0/8 or 2001:db8::/32");
            }
            try {
                byte[] network = InetAddress.getByName(literal).getAddress();
                int bits = Integer.parseInt(cidr.substring(slash + 1).trim());
                if (bits < 0 || bits > network.length * 8) {
                    throw new IllegalArgumentException("\"" + cidr + "\" has a prefix longer than its address");
                }
                return new AddressRange(network, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("\"" + cidr + "\" is not a range such as 10.0.0.0/8 or 2001:db8::/32");
            }
        }

        /** Whether the address lies in the range; an IPv6 form carrying an IPv4 address is judged by that one too. */
        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length == 16 && network.length == 4 && isPrefix(bytes, new byte[10])) {
                bytes = Arrays.copyOfRange(bytes, 12, 16); // IPv4-mapped and -compatible
            }
            if (bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
