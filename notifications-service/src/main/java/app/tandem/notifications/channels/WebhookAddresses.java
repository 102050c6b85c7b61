package app.tandem.notifications.channels;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
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
 * lookup takes at most {@code lookupTimeout}; one that takes longer counts as a name not found now.
 */
public final class WebhookAddresses {

    private static final int LOOKUPS_AT_ONCE = 8;

    /** Why a webhook URL is refused, as a field violation says it ("must …"); {@code lasting} false: the name did not resolve now. */
    public record Refusal(String reason, boolean lasting) {
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

    /** Looks up a host's addresses; the system's resolver outside tests. */
    public interface Resolver {
        InetAddress[] addressesOf(String host) throws UnknownHostException;
    }

    private static final Refusal NOT_FOUND = new Refusal("must name a host that can be found", false);
    private static final Refusal NOT_PUBLIC = new Refusal("must point at a public address", true);

    private final boolean allowLocal;
    private final Resolver resolver;
    private final Duration lookupTimeout;
    // the system's resolver cannot be interrupted, so a slow lookup runs here while the caller waits only so long
    private final ThreadPoolExecutor lookups;

    public WebhookAddresses(boolean allowLocal, Duration lookupTimeout) {
        this(allowLocal, InetAddress::getAllByName, lookupTimeout);
    }

    WebhookAddresses(boolean allowLocal, Resolver resolver, Duration lookupTimeout) {
        this.allowLocal = allowLocal;
        this.resolver = resolver;
        this.lookupTimeout = lookupTimeout;
        this.lookups = new ThreadPoolExecutor(0, LOOKUPS_AT_ONCE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "webhook-lookup");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Why {@code url} may not be called, if it may not: its form, then every address its host has now. */
    public Optional<Refusal> refusal(String url) {
        Optional<Refusal> form = formRefusal(url);
        if (form.isPresent()) {
            return form;
        }
        try {
            checkedAddressesOf(URI.create(url).getHost());
            return Optional.empty();
        } catch (RefusedHost e) {
            return Optional.of(e.refusal());
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

    /** The addresses of {@code host}, every one of them allowed; a connection may go to any of these and nowhere else. */
    public InetAddress[] checkedAddressesOf(String host) throws RefusedHost {
        InetAddress[] addresses = lookUp(host);
        if (addresses == null || addresses.length == 0) {
            throw new RefusedHost(NOT_FOUND);
        }
        for (InetAddress address : addresses) {
            if (address.isLoopbackAddress() ? !allowLocal : !isPublic(address)) {
                throw new RefusedHost(NOT_PUBLIC); // which one it found is not told
            }
        }
        return addresses.clone();
    }

    private InetAddress[] lookUp(String host) throws RefusedHost {
        Future<InetAddress[]> lookup;
        try {
            lookup = lookups.submit(() -> resolver.addressesOf(host));
        } catch (RejectedExecutionException e) {
            throw new RefusedHost(NOT_FOUND); // every lookup slot waits on a slow resolver: later
        }
        try {
            return lookup.get(lookupTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RefusedHost(NOT_FOUND);
        } catch (ExecutionException | TimeoutException e) {
            lookup.cancel(true);
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
}
