package io.outrider.plugin.syslog;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.DatagramChannel;

import static java.util.Objects.requireNonNull;

/**
 * RFC 5426: one datagram per message. Fire-and-forget: a datagram handed to the network stack counts as delivered,
 * although nothing tells whether the server received it (a full receive buffer or a lossy network lose messages
 * silently). Use TCP or TLS where loss matters.
 *
 * <p>One thing does answer: a host where nothing listens on the port sends back ICMP "port unreachable". The socket is
 * connected to the server, so such an answer fails the next send; and after the first batch on a socket the transport
 * waits up to {@value #CONFIRM_MILLIS} ms for one. A server that is down on a host that is up is then a failure
 * (the events stay buffered and are sent again), not a silent loss, unless a firewall drops the ICMP answers.
 */
final class UdpTransport
        implements SyslogTransport
{
    private final String host;
    private final int port;
    /** How long the first batch on a socket waits for a "port unreachable" answer. */
    static final int CONFIRM_MILLIS = 50;

    private DatagramChannel channel;
    private InetSocketAddress address;
    private boolean confirmed;

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
                // connected: the kernel reports an ICMP answer about the server on this socket's next operation
                channel.connect(address);
                confirmed = false;
            }
            byte[] buffer = messages.buffer();
            for (int i = 0; i < messages.count(); i++) {
                channel.write(ByteBuffer.wrap(buffer, messages.start(i), messages.length(i)));
            }
            if (!confirmed) {
                awaitPortUnreachable();
                confirmed = true;
            }
        }
        catch (PortUnreachableException e) {
            close();
            throw new SendFailure("nothing listens on udp " + StreamTransport.endpoint(host, port) + " (the host answered ICMP port unreachable);"
                    + " is the syslog server running, and on that port?", false, null, e);
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

    /** Waits up to {@link #CONFIRM_MILLIS} for an ICMP "port unreachable" about what was just sent, which then throws. */
    private void awaitPortUnreachable()
            throws IOException
    {
        DatagramSocket socket = channel.socket();
        socket.setSoTimeout(CONFIRM_MILLIS);
        try {
            // a syslog server sends nothing back: what could arrive is the kernel's report of an ICMP answer
            socket.receive(new DatagramPacket(new byte[1], 1));
        }
        catch (SocketTimeoutException e) {
            // no answer: as much as UDP can confirm
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
