package io.outrider.plugin.http;

import io.outrider.support.LoopbackHost;

import java.net.URI;
import java.util.Locale;

/** Small facts about endpoint URIs, decided from the text alone (never by a DNS lookup). */
final class Endpoints
{
    private Endpoints() {}

    /**
     * Whether the host is this machine's loopback by its text alone: {@code localhost}, an address in 127.0.0.0/8,
     * or {@code ::1} in any spelling. Not a name below {@code .localhost}, nor one that merely resolves to 127.0.0.1
     * ({@code 127.0.0.1.nip.io}): what such a name resolves to is up to the resolver, and a key sent over plain HTTP
     * must not depend on it.
     */
    static boolean isLoopback(URI uri)
    {
        String host = uri.getHost();
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return LoopbackHost.isLiteral(host);
    }

    /**
     * {@code scheme://host:port} only: what logs and reasons name. Generic webhook URLs often carry a secret in
     * their path or query, so nothing after the authority is ever printed.
     */
    static String origin(URI uri)
    {
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + port;
    }

    /** The base URL with {@code path} appended, with exactly one slash between them. */
    static URI resolve(URI base, String path)
    {
        String text = base.toString();
        int query = text.indexOf('?');
        String suffix = "";
        if (query >= 0) {
            suffix = text.substring(query);
            text = text.substring(0, query);
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text + path + suffix);
    }
}
