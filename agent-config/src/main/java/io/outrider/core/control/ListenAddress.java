package io.outrider.core.control;

import io.outrider.support.LoopbackHost;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The {@code agent.status.listen} address: {@code host:port} where the host is {@code localhost}, an IPv4 address in
 * 127.0.0.0/8 or the IPv6 loopback {@code ::1} (in brackets, {@code [::1]:8686}), and the port 0-65535 (0 picks a
 * free one). Other host names are refused although some resolve to a loopback address ({@code 127.0.0.1.nip.io}): a
 * name is resolved by whatever DNS answers at start, so it would not keep the endpoint on this machine.
 *
 * @param host the host as written, without brackets
 * @param port the port
 */
public record ListenAddress(String host, int port)
{
    public ListenAddress
    {
        requireNonNull(host, "host is null");
    }

    /**
     * @throws IllegalArgumentException saying what a valid address looks like and what was found
     */
    public static ListenAddress parse(String listen)
    {
        requireNonNull(listen, "listen is null");
        int colon = listen.lastIndexOf(':');
        String host = colon < 0 ? "" : listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = colon < 0 ? "" : listen.substring(colon + 1);
        if (!LoopbackHost.isLiteral(host) || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("status endpoint must listen on a loopback address and port, e.g. 127.0.0.1:8686 or [::1]:8686 "
                    + "(localhost is the only host name allowed), but found '" + listen + "'");
        }
        return new ListenAddress(host, Integer.parseInt(port));
    }

    /** The socket address to bind; {@code localhost} is the JDK's loopback address, not a resolver's answer. */
    public InetSocketAddress socketAddress()
    {
        try {
            InetAddress address = host.toLowerCase(Locale.ROOT).equals("localhost") ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
            return new InetSocketAddress(address, port);
        }
        catch (UnknownHostException e) {
            // parse accepted only literals, which InetAddress never looks up
            throw new IllegalStateException("not a literal address: " + host, e);
        }
    }

    @Override
    public String toString()
    {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
