package app.tandem.notifications.channels;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where a webhook may point: an https URL whose host resolves only to public addresses, so a webhook cannot make the
 * service call into its own network (loopback, private, link-local such as cloud metadata at 169.254.169.254,
 * carrier-grade NAT, unique-local, multicast, reserved). On a developer's machine ({@code allowLocal}) http and this
 * machine's own addresses are allowed too, nothing else.
 */
public final class WebhookAddresses {

    /** Why a webhook URL is refused, as a field violation says it ("must …"); {@code lasting} false: the name did not resolve now. */
    public record Refusal(String reason, boolean lasting) {
    }

    /** Looks up a host's addresses; the system's resolver outside tests. */
    public interface Resolver {
        InetAddress[] addressesOf(String host) throws UnknownHostException;
    }

    private final boolean allowLocal;
    private final Resolver resolver;

    public WebhookAddresses(boolean allowLocal) {
        this(allowLocal, InetAddress::getAllByName);
    }

    WebhookAddresses(boolean allowLocal, Resolver resolver) {
        this.allowLocal = allowLocal;
        this.resolver = resolver;
    }

    /** Why {@code url} may not be called, if it may not. */
    public Optional<Refusal> refusal(String url) {
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
        InetAddress[] addresses;
        try {
            addresses = resolver.addressesOf(uri.getHost());
        } catch (UnknownHostException e) {
            return Optional.of(new Refusal("must name a host that can be found", false));
        }
        if (addresses.length == 0) {
            return Optional.of(new Refusal("must name a host that can be found", false));
        }
        for (InetAddress address : addresses) {
            if (address.isLoopbackAddress() ? !allowLocal : !isPublic(address)) {
                return refused("must point at a public address"); // which one it found is not told
            }
        }
        return Optional.empty();
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
                return false; // unique local fc00::/7
            }
            if (isPrefix(bytes, new byte[]{0, 0x64, (byte) 0xff, (byte) 0x9b}) || Arrays.equals(Arrays.copyOf(bytes, 12),
                    new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})) {
                // NAT64 (64:ff9b::/96) and IPv4-compatible addresses carry an IPv4 address: judge that one
                return isPublicV4(Arrays.copyOfRange(bytes, 12, 16));
            }
            return (first & 0xe0) == 0x20; // global unicast 2000::/3
        }
        return false;
    }

    private static boolean isPublicV4(byte[] v4) {
        int a = v4[0] & 0xff;
        int b = v4[1] & 0xff;
        return !(a == 0 || a == 10 || a == 127 || a >= 224                    // this network, private, loopback, multicast, reserved
                || (a == 100 && b >= 64 && b <= 127)                          // carrier-grade NAT
                || (a == 169 && b == 254) || (a == 172 && b >= 16 && b <= 31) // link-local (cloud metadata), private
                || (a == 192 && b == 168) || (a == 192 && b == 0 && (v4[2] & 0xff) == 0) // private, IETF protocol
                || (a == 198 && (b == 18 || b == 19)));                       // benchmarking
    }

    private static boolean isPrefix(byte[] bytes, byte[] prefix) {
        return Arrays.equals(Arrays.copyOf(bytes, prefix.length), prefix);
    }
}
