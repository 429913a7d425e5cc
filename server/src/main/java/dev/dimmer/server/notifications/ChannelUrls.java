package dev.dimmer.server.notifications;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Decides whether a channel URL may be called. A channel URL is given by an editor, and the server calls it from
 * inside the network it runs in, so it must not become a way to reach the server's own host (loopback), the link-local
 * range (169.254.0.0/16, fe80::/10: where cloud metadata services hand out credentials) or a known metadata address;
 * the operator lifts this for chosen addresses with {@code dimmer.notifications.allow-addresses}. Private ranges
 * (10/8, 192.168/16 …) stay allowed: an on-premises chat bridge usually lives there.
 *
 * <p>The host is resolved when the channel is saved (to name the problem to the editor) and again before every send,
 * and every address it resolves to must pass: a name that resolved to a public address at creation and to
 * 169.254.169.254 later (DNS rebinding) is refused at send time. The HTTP client then resolves the name through the
 * same JVM address cache ({@code networkaddress.cache.ttl}, 30 s by default), so it connects to an address checked
 * here.
 */
@Component
class ChannelUrls {

    static final int MAX_LENGTH = 2000;

    /** Metadata services outside the link-local range, and their well-known names. */
    private static final Set<String> METADATA_ADDRESSES = Set.of(
            "100.100.100.200", // Alibaba Cloud
            "fd00:ec2:0:0:0:0:0:254"); // AWS over IPv6

    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog", "metadata");

    private final List<Cidr> allowed;

    ChannelUrls(NotificationProperties properties) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String entry : properties.allowAddresses()) {
            cidrs.add(Cidr.parse(entry));
        }
        this.allowed = List.copyOf(cidrs);
    }

    /** Why {@code url} may not be a channel's URL, or empty when it may. */
    Optional<String> problem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("is required");
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry a user name or password (put a token in the path, as Slack does)");
        }
        return addressProblem(uri.getHost());
    }

    /** Why the host may not be called now: it resolves (now) to a refused address, or does not resolve. */
    Optional<String> addressProblem(String host) {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        name = name.toLowerCase(Locale.ROOT);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            return Optional.of("host '" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isAllowed(address)) {
                continue;
            }
            String refusal = refusal(name, address);
            if (refusal != null) {
                return Optional.of("host '" + host + "' resolves to " + address.getHostAddress() + ", " + refusal
                        + "; refused unless the operator allows it (dimmer.notifications.allow-addresses)");
            }
        }
        return Optional.empty();
    }

    private boolean isAllowed(InetAddress address) {
        return allowed.stream().anyMatch(c -> c.contains(address));
    }

    private static String refusal(String name, InetAddress address) {
        if (METADATA_NAMES.contains(name) || METADATA_ADDRESSES.contains(address.getHostAddress())) {
            return "a cloud metadata service";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address (the server's own host)";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address (where cloud metadata services live)";
        }
        if (address.isAnyLocalAddress()) {
            return "the unspecified address (the server's own host)";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        return null;
    }

    /** An address or a CIDR range of {@code allow-addresses}. */
    record Cidr(BigInteger network, int prefix, int bits) {

        static Cidr parse(String entry) {
            String[] parts = entry.split("/", 2);
            InetAddress address;
            try {
                // Literal addresses only: getByName does no lookup for them.
                if (!parts[0].matches("[0-9a-fA-F:.]+")) {
                    throw new UnknownHostException(parts[0]);
                }
                address = InetAddress.getByName(parts[0]);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(
                        "dimmer.notifications.allow-addresses: '" + entry + "' is not an IP address or CIDR range");
            }
            int bits = address.getAddress().length * 8;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException(
                        "dimmer.notifications.allow-addresses: '" + entry + "' has a bad prefix length");
            }
            return new Cidr(masked(new BigInteger(1, address.getAddress()), prefix, bits), prefix, bits);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            return bytes.length * 8 == bits
                    && masked(new BigInteger(1, bytes), prefix, bits).equals(network);
        }

        private static BigInteger masked(BigInteger value, int prefix, int bits) {
            return value.shiftRight(bits - prefix).shiftLeft(bits - prefix);
        }
    }
}
