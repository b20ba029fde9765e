package io.outrider.plugin.syslog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.DatagramChannel;

import static java.util.Objects.requireNonNull;

/**
 * RFC 5426: one datagram per message. Fire-and-forget: a datagram handed to the network stack counts as delivered,
 * although nothing tells whether the server received it (a server that is down, a full receive buffer or a lossy
 * network lose messages silently). Use TCP or TLS where loss matters.
 */
final class UdpTransport
        implements SyslogTransport
{
    private final String host;
    private final int port;
    private DatagramChannel channel;
    private InetSocketAddress address;

    UdpTransport(String host, int port)
    {
        this.host = requireNonNull(host, "host is null");
        this.port = port;
    }

    @Override
    public void send(EncodedMessages messages)
            throws SendFailure, InterruptedException
    {
        try {
            if (address == null || address.isUnresolved()) {
                // resolved again after a failure, so that a DNS change or a late DNS server is picked up
                address = new InetSocketAddress(host, port);
                if (address.isUnresolved()) {
                    throw new SendFailure("cannot resolve " + host, false, null, null);
                }
            }
            if (channel == null) {
                channel = DatagramChannel.open();
            }
            byte[] buffer = messages.buffer();
            for (int i = 0; i < messages.count(); i++) {
                channel.send(ByteBuffer.wrap(buffer, messages.start(i), messages.length(i)), address);
            }
        }
        catch (ClosedByInterruptException e) {
            channel = null;
            throw new InterruptedException("interrupted while sending to " + StreamTransport.endpoint(host, port));
        }
        catch (IOException e) {
            close();
            throw new SendFailure("sending to " + StreamTransport.endpoint(host, port) + " over UDP failed: " + e.getMessage(), false, null, e);
        }
    }

    @Override
    public boolean connected()
    {
        return true;
    }

    @Override
    public void close()
    {
        if (channel != null) {
            try {
                channel.close();
            }
            catch (IOException ignored) {
                // nothing is lost by a failed close of a datagram channel
            }
            channel = null;
        }
    }
}
