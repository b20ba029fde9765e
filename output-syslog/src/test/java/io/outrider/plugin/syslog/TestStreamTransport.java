package io.outrider.plugin.syslog;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What reaches a server on loopback: the transport's own frame buffer against framing each message on its own. */
class TestStreamTransport
{
    /** The transport's frame buffer; messages are made to end near its multiples and to exceed it. */
    private static final int BUFFER = 64 * 1024;

    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopWatchdog()
    {
        watchdog.shutdownNow();
    }

    @Test
    void writesEveryMessageFramedInOrderWhateverItsSizeAndPlaceInTheBuffer()
            throws Exception
    {
        for (Framing framing : Framing.values()) {
            Random random = new Random(6587 + framing.ordinal());
            List<List<byte[]>> batches = new ArrayList<>();
            for (int batch = 0; batch < 6; batch++) {
                List<byte[]> messages = new ArrayList<>();
                for (int i = random.nextInt(40); i >= 0; i--) {
                    int length = switch (random.nextInt(6)) {
                        case 0 -> BUFFER - Framing.MAX_OVERHEAD - random.nextInt(3);
                        case 1 -> BUFFER + random.nextInt(3 * BUFFER);
                        case 2 -> random.nextInt(3);
                        default -> random.nextInt(3000);
                    };
                    byte[] message = new byte[length];
                    random.nextBytes(message);
                    if (framing == Framing.LF) {
                        // LF framing carries messages without line breaks (the encoder escapes them)
                        for (int b = 0; b < message.length; b++) {
                            message[b] = message[b] == '\n' ? (byte) 'n' : message[b];
                        }
                    }
                    messages.add(message);
                }
                batches.add(messages);
            }

            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (List<byte[]> batch : batches) {
                for (byte[] message : batch) {
                    framing.write(message, expected);
                }
            }
            assertThat(sendAndReceive(framing, batches)).isEqualTo(expected.toByteArray());
        }
    }

    private byte[] sendAndReceive(Framing framing, List<List<byte[]>> batches)
            throws Exception
    {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                    socket.setSoTimeout(10_000);
                    return in.readAllBytes();
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            StreamTransport transport = new StreamTransport("127.0.0.1", server.getLocalPort(), framing, Duration.ofSeconds(5), Duration.ofSeconds(10),
                    Duration.ofMillis(100), Duration.ofSeconds(1), null, null, watchdog, System::nanoTime, System.getLogger("test"), () -> {});
            try {
                EncodedMessages messages = new EncodedMessages(16);
                for (List<byte[]> batch : batches) {
                    messages.clear();
                    for (byte[] message : batch) {
                        messages.writer().bytes(message);
                        messages.add();
                    }
                    transport.send(messages);
                }
            }
            finally {
                transport.close();
            }
            return received.get(10, TimeUnit.SECONDS);
        }
    }
}
