package io.outrider.plugin.syslog;

import java.io.IOException;
import java.io.OutputStream;

/** How messages are delimited on a TCP or TLS stream (RFC 6587). UDP needs none: one datagram is one message. */
public enum Framing
{
    /** {@code MSG-LEN SP SYSLOG-MSG}: any byte may appear in a message. The only framing RFC 5425 (TLS) allows. */
    OCTET_COUNTING {
        @Override
        int writeHeader(int length, byte[] into, int at)
        {
            int digits = 1;
            for (int rest = length / 10; rest != 0; rest /= 10) {
                digits++;
            }
            for (int i = at + digits - 1; i >= at; i--) {
                into[i] = (byte) ('0' + length % 10);
                length /= 10;
            }
            into[at + digits] = ' ';
            return at + digits + 1;
        }

        @Override
        int writeTrailer(byte[] into, int at)
        {
            return at;
        }
    },
    /** Each message ends with LF; line breaks inside messages are escaped by the encoder ({@code #012}, {@code #015}). */
    LF {
        @Override
        int writeHeader(int length, byte[] into, int at)
        {
            return at;
        }

        @Override
        int writeTrailer(byte[] into, int at)
        {
            into[at] = '\n';
            return at + 1;
        }
    };

    /** The most bytes a frame adds to a message: ten digits and a space. */
    static final int MAX_OVERHEAD = 11;

    /** Writes one framed message. */
    public void write(byte[] message, OutputStream out)
            throws IOException
    {
        byte[] frame = new byte[message.length + MAX_OVERHEAD];
        int at = writeHeader(message.length, frame, 0);
        System.arraycopy(message, 0, frame, at, message.length);
        at = writeTrailer(frame, at + message.length);
        out.write(frame, 0, at);
    }

    /** Writes what goes before a message of {@code length} bytes at {@code at} (room for {@link #MAX_OVERHEAD}); returns where it ends. */
    abstract int writeHeader(int length, byte[] into, int at);

    /** Writes what goes after a message at {@code at}; returns where it ends. */
    abstract int writeTrailer(byte[] into, int at);
}
