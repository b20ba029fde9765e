package io.outrider.plugin.linuxauth;

import java.util.Locale;

/**
 * Validates PAM's {@code rhost}: IPv4, IPv6 (with an optional zone), IPv4-mapped IPv6, or a host name. A copy of
 * parser-sshd's class of the same name (plugins share no code but the SPI; both belong in plugin-support). Hand-written rather than
 * {@link java.net.InetAddress}, which may resolve names over the network and is far slower.
 */
final class Addresses
{
    private static final int MAX_HOST_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;
    // Linux interface names are at most 15 characters (IFNAMSIZ 16); with it an address stays within 61 characters
    private static final int MAX_ZONE_LENGTH = 15;

    private Addresses() {}

    /**
     * The canonical form of an IP address literal: IPv4 as given, IPv6 in lower case, and an IPv4-mapped IPv6
     * address ({@code ::ffff:192.0.2.1}) as its IPv4 form so that one client is one {@code source.ip} whichever
     * socket the service accepted it on. {@code null} when {@code text} is not an IP address.
     */
    static String normalizeIp(String text)
    {
        if (isIpv4(text, 0, text.length())) {
            return text;
        }
        if (text.indexOf(':') < 0 || !isIpv6(text)) {
            return null;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("::ffff:") && isIpv4(lower, 7, lower.length())) {
            return lower.substring(7);
        }
        return lower;
    }

    /** A DNS name as sshd and PAM print one: letters, digits, '-', '_' and '.', labels of 1..63, at least one letter. */
    static boolean isHostName(String text)
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

    static boolean isIpv4(String text, int start, int end)
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
