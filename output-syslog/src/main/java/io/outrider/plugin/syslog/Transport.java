package io.outrider.plugin.syslog;

/** How messages travel to the syslog server. */
public enum Transport
{
    /** RFC 5426: one datagram per message, fire-and-forget (nothing tells the agent whether it arrived). */
    UDP(514),
    /** RFC 6587: a TCP stream of framed messages. */
    TCP(514),
    /** RFC 5425: a TLS stream of octet-counted messages. */
    TLS(6514);

    private final int defaultPort;

    Transport(int defaultPort)
    {
        this.defaultPort = defaultPort;
    }

    public int defaultPort()
    {
        return defaultPort;
    }
}
