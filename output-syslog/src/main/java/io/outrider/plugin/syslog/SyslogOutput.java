package io.outrider.plugin.syslog;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Output;

import io.outrider.support.tls.TlsContexts;

import javax.net.ssl.SSLContext;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import static java.util.Objects.requireNonNull;

/**
 * Sends batches of events to a syslog server.
 *
 * <p>What {@link DeliveryResult#delivered()} means depends on the transport: over TCP and TLS, every message of
 * the batch was written and flushed to a connection the server had not closed when the batch began; over UDP,
 * every datagram was handed to the network stack, which is all UDP can tell (fire-and-forget: a server that is down
 * loses what is sent to it). A connection that cannot be opened or breaks gives {@code retry_later} (after a failed
 * attempt, with the time until the next one); a certificate the TLS peers do not accept gives {@code unauthorized}.
 * An event that cannot be encoded within {@code max_message_size} is rejected alone.
 */
final class SyslogOutput
        implements Output
{
    private static final int INITIAL_BATCH_BYTES = 16 * 1024;
    /** Kept room more than this many times what a batch needed is let go: a burst's memory comes back. */
    private static final int SHRINK_FACTOR = 4;

    private final SyslogOutputConfig config;
    private final ComponentContext context;
    private final SyslogEncoder encoder;
    private final SSLContext tlsContext;
    private final ComponentMetrics.Counter connects;

    /** The batch's messages, encoded; kept from one batch to the next. */
    private EncodedMessages encoded = new EncodedMessages(INITIAL_BATCH_BYTES);
    private ScheduledExecutorService watchdog;
    private SyslogTransport transport;

    SyslogOutput(SyslogOutputConfig config, ComponentContext context, SyslogEncoder encoder, SSLContext tlsContext)
    {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.tlsContext = tlsContext;
        this.connects = context.metrics().counter("connects_total", "Connections opened to the syslog server");
    }

    @Override
    public void start()
    {
        if (config.transport() == Transport.UDP) {
            transport = new UdpTransport(config.host(), config.port());
        }
        else {
            String threadName = "outrider-syslog-watchdog-" + context.pipelineId() + "-" + context.componentId();
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, threadName);
                thread.setDaemon(true);
                return thread;
            });
            // cancelled timeouts (nearly all of them) must not pile up in the queue
            executor.setRemoveOnCancelPolicy(true);
            watchdog = executor;
            transport = new StreamTransport(config.host(), config.port(), config.framing(), config.connectTimeout(), config.sendTimeout(),
                    config.reconnectBackoff(), config.maxReconnectBackoff(), tlsContext == null ? null : tlsContext.getSocketFactory(),
                    tlsContext == null ? null : TlsContexts.clientParameters(config.tls(), config.host()), watchdog, context::nanoTime, context.logger(), connects::increment);
        }
        SyslogTransport current = transport;
        context.metrics().gauge("connected", "1 while a connection to the syslog server is open (always 1 over UDP)", () -> current.connected() ? 1 : 0);
        // the connection opens with the first event: until then this line is all that says where events go
        context.logger().log(System.Logger.Level.INFO, "sending {0} over {1} to {2}", config.format().name().toLowerCase(Locale.ROOT),
                config.transport().name().toLowerCase(Locale.ROOT), StreamTransport.endpoint(config.host(), config.port()));
    }

    @Override
    public DeliveryResult deliver(List<Event> batch)
            throws InterruptedException
    {
        if (transport == null) {
            throw new IllegalStateException("deliver called before start");
        }
        EncodedMessages messages = encoded;
        messages.clear();
        Map<Integer, String> rejected = new TreeMap<>();
        for (int i = 0; i < batch.size(); i++) {
            try {
                encoder.encode(batch, i, messages.writer());
                messages.add();
            }
            catch (UnencodableEventException e) {
                rejected.put(i, e.getMessage());
            }
        }
        int encodedBytes = messages.writer().size();
        if (messages.capacity() / SHRINK_FACTOR > Math.max(encodedBytes, INITIAL_BATCH_BYTES)) {
            // a batch of huge events must not keep its room for the output's lifetime: the next batch gets a new one
            encoded = new EncodedMessages(INITIAL_BATCH_BYTES);
        }
        if (!messages.isEmpty()) {
            try {
                transport.send(messages);
            }
            catch (SendFailure failure) {
                return result(failure);
            }
        }
        return rejected.isEmpty() ? DeliveryResult.delivered() : DeliveryResult.partiallyRejected(rejected);
    }

    /**
     * Over TCP and TLS, connects (with TLS, completes the handshake, as a delivery would) and sends nothing: a dead
     * port, an untrusted or expired server certificate, a refused client certificate show here. Over UDP there is
     * nothing to check: nothing answers a datagram.
     */
    @Override
    public Optional<DeliveryResult> probe()
            throws InterruptedException
    {
        if (!(transport instanceof StreamTransport stream)) {
            return Optional.empty();
        }
        try {
            stream.connectOnly();
        }
        catch (SendFailure failure) {
            return Optional.of(result(failure));
        }
        return Optional.of(DeliveryResult.delivered());
    }

    private static DeliveryResult result(SendFailure failure)
    {
        if (failure.certificateProblem()) {
            return DeliveryResult.unauthorized(failure.getMessage() + "; check tls.crt_file and tls.key_file, and that the server trusts their issuer");
        }
        return DeliveryResult.retryLater(failure.getMessage(), failure.retryAfter().orElse(null));
    }

    @Override
    public void close()
    {
        if (transport != null) {
            transport.close();
        }
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }
}
