package io.outrider.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Whether a host names this machine's loopback by its text alone, never by asking a resolver: {@code localhost}, an
 * IPv4 address in 127.0.0.0/8, or the IPv6 loopback in any spelling. A name that merely resolves to 127.0.0.1
 * ({@code 127.0.0.1.nip.io}) or one below {@code .localhost} is not: what it resolves to is up to the resolver, and
 * neither a key sent over plain HTTP nor a status endpoint that only this machine may reach can depend on that. One
 * rule for the core (the status endpoint's {@code listen} and {@code Host}) and the plugins (credentials over HTTP).
 */
public final class LoopbackHost
{
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-f:.]+");

    private LoopbackHost() {}

    /** @param host a host without brackets and without a port */
    public static boolean isLiteral(String host)
    {
        requireNonNull(host, "host is null");
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost")) {
            return true;
        }
        Matcher ipv4 = IPV4.matcher(lower);
        if (ipv4.matches()) {
            for (int group = 1; group <= 4; group++) {
                if (Integer.parseInt(ipv4.group(group)) > 255) {
                    return false;
                }
            }
            return ipv4.group(1).equals("127");
        }
        // a string with a colon is an IPv6 literal to InetAddress, never looked up; anything else is not accepted
        if (lower.indexOf(':') >= 0 && IPV6_LITERAL.matcher(lower).matches()) {
            try {
                return InetAddress.getByName(lower).isLoopbackAddress();
            }
            catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
