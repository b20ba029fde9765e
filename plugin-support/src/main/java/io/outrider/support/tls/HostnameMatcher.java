package io.outrider.support.tls;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Whether a server certificate names a host, by RFC 6125 as browsers apply it today: an address is matched against
 * the certificate's IP-address subject alternative names, a host name against its DNS names, where a wildcard may only
 * be the whole left-most label ({@code *.example.com} names {@code a.example.com}, not {@code example.com} nor
 * {@code a.b.example.com}) and needs two labels after it. The subject's common name is not consulted: certificates
 * have carried their names as subject alternative names for two decades, and the fallback is how mis-issued
 * certificates get accepted.
 */
public final class HostnameMatcher
{
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private HostnameMatcher() {}

    public static boolean matches(X509Certificate certificate, String host)
    {
        String name = withoutTrailingDot(host.trim());
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (isAddressLiteral(name)) {
            byte[] address = addressBytes(name);
            for (String candidate : names(certificate, IP_ADDRESS)) {
                if (isAddressLiteral(candidate) && java.util.Arrays.equals(address, addressBytes(candidate))) {
                    return true;
                }
            }
            return false;
        }
        String asciiName = ascii(name);
        if (asciiName == null) {
            return false;
        }
        for (String candidate : names(certificate, DNS_NAME)) {
            String pattern = ascii(withoutTrailingDot(candidate));
            if (pattern != null && matchesPattern(pattern, asciiName)) {
                return true;
            }
        }
        return false;
    }

    /** {@code DNS:a.example.com, IP:127.0.0.1}, or a sentence when the certificate names nothing. */
    public static String describeNames(X509Certificate certificate)
    {
        List<String> described = new ArrayList<>();
        names(certificate, DNS_NAME).forEach(name -> described.add("DNS:" + name));
        names(certificate, IP_ADDRESS).forEach(name -> described.add("IP:" + shortIpv6(name)));
        return described.isEmpty() ? "no subject alternative names" : String.join(", ", described);
    }

    /**
     * An IPv6 address as people write it (RFC 5952: {@code ::1}), from the JDK's full form ({@code 0:0:0:0:0:0:0:1});
     * anything else unchanged.
     */
    static String shortIpv6(String address)
    {
        String[] groups = address.split(":", -1);
        if (groups.length != 8) {
            return address;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (!isZero(groups[i])) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && isZero(groups[i])) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            String group = groups[i].replaceFirst("^0+(?=.)", "").toLowerCase(java.util.Locale.ROOT);
            text.append(group);
        }
        return text.toString();
    }

    private static boolean isZero(String group)
    {
        return !group.isEmpty() && group.chars().allMatch(c -> c == '0');
    }

    /** Whether {@code host} is an IPv4 or IPv6 address literal rather than a name (no lookup is made). */
    public static boolean isAddressLiteral(String host)
    {
        if (host.indexOf(':') >= 0) {
            int scope = host.indexOf('%');
            // a zone (fe80::1%eth0) names an interface, in any letters
            String address = scope < 0 ? host : host.substring(0, scope);
            for (int i = 0; i < address.length(); i++) {
                char c = address.charAt(i);
                if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                    return false;
                }
            }
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    static String withoutTrailingDot(String name)
    {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static boolean matchesPattern(String pattern, String name)
    {
        if (!pattern.startsWith("*.")) {
            return pattern.equals(name);
        }
        String suffix = pattern.substring(1); // ".example.com"
        if (suffix.indexOf('.', 1) < 0) {
            return false; // "*.com": a wildcard needs two labels after it
        }
        int firstDot = name.indexOf('.');
        return firstDot > 0 && name.substring(firstDot).equals(suffix);
    }

    private static String ascii(String name)
    {
        try {
            return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        }
        catch (IllegalArgumentException notAHostName) {
            return null;
        }
    }

    private static byte[] addressBytes(String literal)
    {
        try {
            int scope = literal.indexOf('%');
            // a literal is parsed, never looked up
            return InetAddress.getByName(scope < 0 ? literal : literal.substring(0, scope)).getAddress();
        }
        catch (UnknownHostException e) {
            return new byte[0];
        }
    }

    private static List<String> names(X509Certificate certificate, int type)
    {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (entry.size() >= 2 && entry.get(0) instanceof Integer kind && kind == type && entry.get(1) instanceof String value) {
                        names.add(value);
                    }
                }
            }
        }
        catch (CertificateParsingException e) {
            // a certificate whose names cannot be read names nothing
        }
        return names;
    }
}
