package io.outrider.plugin.syslog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** How messages are delimited on a TCP or TLS stream (RFC 6587). UDP needs none: one datagram is one message. */
public enum Framing
{
    /** {@code MSG-LEN SP SYSLOG-MSG}: any byte may appear in a message. The only framing RFC 5425 (TLS) allows. */
    OCTET_COUNTING {
        @Override
        public void write(byte[] message, OutputStream out)
                throws IOException
        {
            out.write(Integer.toString(message.length).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.write(message);
        }
    },
    /** Each message ends with LF; line breaks inside messages are escaped by the encoder ({@code #012}, {@code #015}). */
    LF {
        @Override
        public void write(byte[] message, OutputStream out)
                throws IOException
        {
            out.write(message);
            out.write('\n');
        }
    };

    /** Writes one framed message. */
    public abstract void write(byte[] message, OutputStream out)
            throws IOException;
}
