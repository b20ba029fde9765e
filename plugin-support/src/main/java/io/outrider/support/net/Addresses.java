package io.outrider.support.net;

import java.util.Locale;

/**
 * Validates and normalises the remote addresses logs name: IPv4, IPv6 (with an optional zone), IPv4-mapped IPv6, or a
 * host name where the service resolved one (sshd's {@code UseDNS yes}, PAM's {@code rhost}). Hand-written rather than
 * {@link java.net.InetAddress}, which may resolve names over the network and is far slower. Thread-safe (stateless).
 */
public final class Addresses
{
    private static final int MAX_HOST_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;
    // Linux interface names are at most 15 characters (IFNAMSIZ 16); with it an address stays within 61 characters
    private static final int MAX_ZONE_LENGTH = 15;

    private Addresses() {}

    /**
     * The canonical form of an IP address literal: IPv4 as given, IPv6 in lower case, and an IPv4-mapped IPv6
     * address ({@code ::ffff:192.0.2.1}) as its IPv4 form so that one client is one {@code source.ip} whichever
     * socket the service accepted it on. Leading zeros ({@code 010.000.000.001}, {@code 2001:0db8::0001}), which sshd
     * never writes but PAM modules and vendor builds do, are dropped: decimal, as every log reader takes them. A
     * compressed IPv6 address stays as compressed as written ({@code 2001:db8:0::1} is not rewritten to
     * {@code 2001:db8::1}), and an embedded dotted IPv4 address ({@code 64:ff9b::192.0.2.1}) is kept as written.
     * {@code null} when {@code text} is not an IP address.
     */
    public static String normalizeIp(String text)
    {
        if (isIpv4(text, 0, text.length())) {
            return text;
        }
        if (text.indexOf(':') < 0) {
            return withoutLeadingZeros(text, 0, text.length());
        }
        if (!isIpv6(text)) {
            return null;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("::ffff:")) {
            String ipv4 = isIpv4(lower, 7, lower.length()) ? lower.substring(7) : withoutLeadingZeros(lower, 7, lower.length());
            if (ipv4 != null) {
                return ipv4;
            }
        }
        return withoutLeadingHexZeros(lower);
    }

    /** A dotted quad whose octets may have leading zeros, as the plain dotted quad; {@code null} when it is none. */
    private static String withoutLeadingZeros(String text, int start, int end)
    {
        StringBuilder canonical = new StringBuilder(15);
        int i = start;
        for (int octet = 0; octet < 4; octet++) {
            int digitsStart = i;
            int value = 0;
            while (i < end && i - digitsStart < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i == digitsStart || value > 255) {
                return null;
            }
            canonical.append(value);
            if (octet < 3) {
                if (i >= end || text.charAt(i) != '.') {
                    return null;
                }
                canonical.append('.');
                i++;
            }
        }
        return i == end ? canonical.toString() : null;
    }

    /** A valid, lower-case IPv6 address with each group's leading zeros dropped ({@code 0db8} → {@code db8}). */
    private static String withoutLeadingHexZeros(String ipv6)
    {
        int length = ipv6.length();
        int zone = ipv6.indexOf('%');
        int end = zone < 0 ? length : zone;
        if (!hasLeadingHexZero(ipv6, end) || ipv6.indexOf('.') >= 0) {
            // the common case allocates nothing; an embedded IPv4 address (64:ff9b::192.0.2.1) is kept as written
            return ipv6;
        }
        StringBuilder canonical = new StringBuilder(length);
        int groupStart = 0;
        for (int i = 0; i <= end; i++) {
            if (i == end || ipv6.charAt(i) == ':') {
                int digitsStart = groupStart;
                while (digitsStart < i - 1 && ipv6.charAt(digitsStart) == '0') {
                    digitsStart++;
                }
                canonical.append(ipv6, digitsStart, i);
                if (i < end) {
                    canonical.append(':');
                }
                groupStart = i + 1;
            }
        }
        canonical.append(ipv6, end, length);
        return canonical.length() == length ? ipv6 : canonical.toString();
    }

    /** Whether a group of the IPv6 address in {@code text[0, end)} starts with a 0 followed by another hex digit. */
    private static boolean hasLeadingHexZero(String text, int end)
    {
        for (int i = 0; i + 1 < end; i++) {
            if (text.charAt(i) == '0' && (i == 0 || text.charAt(i - 1) == ':') && text.charAt(i + 1) != ':') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code text} is a DNS name as sshd and PAM print one: letters, digits, '-', '_' and '.', labels of 1..63,
     * at most 253 characters, at least one letter (an all-numeric name is a malformed IP address).
     */
    public static boolean isHostName(String text)
    {
        int length = text.length();
        if (length == 0 || length > MAX_HOST_NAME_LENGTH) {
            return false;
        }
        boolean letter = false;
        int labelLength = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (labelLength == 0) {
                    return false;
                }
                labelLength = 0;
                continue;
            }
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                letter = true;
            }
            else if (!((c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
            labelLength++;
            if (labelLength > MAX_LABEL_LENGTH) {
                return false;
            }
        }
        // all-numeric names are malformed IP addresses (999.1.1.1), never host names
        return letter;
    }

    private static boolean isIpv4(String text, int start, int end)
    {
        int octets = 0;
        int i = start;
        while (true) {
            int digitsStart = i;
            int value = 0;
            while (i < end && i - digitsStart < 4) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                i++;
            }
            int digits = i - digitsStart;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(digitsStart) == '0')) {
                return false;
            }
            octets++;
            if (octets == 4) {
                return i == end;
            }
            if (i >= end || text.charAt(i) != '.') {
                return false;
            }
            i++;
        }
    }

    private static boolean isIpv6(String text)
    {
        int end = text.length();
        int zone = text.indexOf('%');
        if (zone >= 0) {
            if (!isZone(text, zone + 1, end)) {
                return false;
            }
            end = zone;
        }
        if (end < 2) {
            return false;
        }
        int groups = 0;
        boolean compressed = false;
        int i = 0;
        if (text.startsWith("::")) {
            compressed = true;
            i = 2;
            if (i == end) {
                return true;
            }
        }
        else if (text.charAt(0) == ':') {
            return false;
        }
        while (i < end) {
            int groupStart = i;
            while (i < end && isHexDigit(text.charAt(i)) && i - groupStart < 5) {
                i++;
            }
            int hexDigits = i - groupStart;
            if (i < end && text.charAt(i) == '.') {
                // a trailing dotted IPv4 counts as two groups
                if (!isIpv4(text, groupStart, end)) {
                    return false;
                }
                groups += 2;
                i = end;
                break;
            }
            if (hexDigits == 0 || hexDigits > 4) {
                return false;
            }
            groups++;
            if (i == end) {
                break;
            }
            if (text.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < end && text.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
                if (i == end) {
                    break;
                }
            }
            else if (i == end) {
                // a single trailing ':'
                return false;
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    private static boolean isZone(String text, int start, int end)
    {
        if (start >= end || end - start > MAX_ZONE_LENGTH) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHexDigit(char c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
