package io.outrider.plugin.http;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/** Small facts about endpoint URIs, decided from the text alone (never by a DNS lookup). */
final class Endpoints
{
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private Endpoints() {}

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
        return host.equals("localhost") || host.endsWith(".localhost") || IPV4_LOOPBACK.matcher(host).matches()
                || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
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
