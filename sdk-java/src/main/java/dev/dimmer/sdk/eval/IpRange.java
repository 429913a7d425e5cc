package dev.dimmer.sdk.eval;

import java.net.InetAddress;

/**
 * An IPv4 or IPv6 network: a CIDR such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}, or a single
 * address (a full-length prefix). Literals are parsed here rather than by
 * {@link InetAddress#getByName}, which would resolve a host name through DNS: evaluation must
 * never do I/O. IPv4-mapped IPv6 addresses ({@code ::ffff:1.2.3.4}) are treated as the IPv4
 * address they carry.
 *
 * @param v6 whether the address family is IPv6
 * @param high the upper 64 bits of an IPv6 address (0 for IPv4)
 * @param low the lower 64 bits of an IPv6 address, or the 32 bits of an IPv4 address
 * @param prefix the number of leading bits that must match
 */
record IpRange(boolean v6, long high, long low, int prefix) {

    /** The network or address written as {@code text}, or null when it is not a literal. */
    static IpRange parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        IpRange address = address(slash >= 0 ? s.substring(0, slash) : s);
        if (address == null || slash < 0) {
            return address;
        }
        String bits = s.substring(slash + 1);
        if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int prefix = Integer.parseInt(bits);
        int offset = address.prefix == 32 && s.indexOf(':') >= 0 ? 96 : 0; // ::ffff:a.b.c.d/120
        if (prefix < offset || prefix - offset > address.prefix) {
            return null;
        }
        return new IpRange(address.v6, address.high, address.low, prefix - offset);
    }

    /** A single address, from its literal. */
    static IpRange address(String s) {
        if (s.indexOf(':') >= 0) {
            return ipv6(s);
        }
        long v4 = ipv4(s);
        return v4 < 0 ? null : new IpRange(false, 0, v4, 32);
    }

    /** A single address, from the raw bytes of an {@link InetAddress} (which holds no DNS work). */
    static IpRange of(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return new IpRange(
                    false,
                    0,
                    Integer.toUnsignedLong(
                            (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff)),
                    32);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (b[i] & 0xff);
            low = low << 8 | (b[i + 8] & 0xff);
        }
        return v6(high, low);
    }

    /** Whether {@code address} (a single address) lies in this network. */
    boolean contains(IpRange address) {
        if (address.v6 != v6) {
            return false;
        }
        if (!v6) {
            long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
            return (address.low & mask) == (low & mask);
        }
        if (prefix <= 64) {
            long mask = prefix == 0 ? 0 : -1L << (64 - prefix);
            return (address.high & mask) == (high & mask);
        }
        long mask = -1L << (128 - prefix);
        return address.high == high && (address.low & mask) == (low & mask);
    }

    /** Dotted-quad IPv4 as an unsigned 32-bit value, or -1. */
    private static long ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return -1; // leading zeros are ambiguous (octal in some parsers), so refuse them
            }
            int octet = 0;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) {
                return -1;
            }
            value = value << 8 | octet;
        }
        return value;
    }

    /** RFC 4291 text: eight hex groups, one optional "::", an optional dotted-quad tail. */
    private static IpRange ipv6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        if (doubleColon >= 0 && s.lastIndexOf('.') >= 0 && s.lastIndexOf('.') < doubleColon) {
            return null; // a dotted quad may only end the address
        }
        int[] head = groups(doubleColon >= 0 ? s.substring(0, doubleColon) : s);
        int[] tail = doubleColon >= 0 ? groups(s.substring(doubleColon + 2)) : new int[0];
        if (head == null || tail == null) {
            return null;
        }
        int count = head.length + tail.length;
        if (doubleColon >= 0 ? count > 7 : count != 8) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, 8 - tail.length, tail.length);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = high << 16 | all[i];
            low = low << 16 | all[i + 4];
        }
        return v6(high, low);
    }

    private static IpRange v6(long high, long low) {
        if (high == 0 && (low >>> 32) == 0xffffL) {
            return new IpRange(false, 0, low & 0xffffffffL, 32); // IPv4-mapped
        }
        return new IpRange(true, high, low, 128);
    }

    /** Colon-separated hex groups (the last may be a dotted quad, counting as two), or null. */
    private static int[] groups(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int last = parts.length - 1;
        boolean v4Tail = parts[last].indexOf('.') >= 0;
        int[] out = new int[parts.length + (v4Tail ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == last && v4Tail) {
                long v4 = ipv4(part);
                if (v4 < 0) {
                    return null;
                }
                out[i] = (int) (v4 >>> 16);
                out[i + 1] = (int) (v4 & 0xffff);
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int group = 0;
            for (int j = 0; j < part.length(); j++) {
                int digit = Character.digit(part.charAt(j), 16);
                if (digit < 0) {
                    return null;
                }
                group = group << 4 | digit;
            }
            out[i] = group;
        }
        return out;
    }
}
