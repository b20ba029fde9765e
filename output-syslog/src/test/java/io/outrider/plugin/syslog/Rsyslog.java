package io.outrider.plugin.syslog;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A real rsyslogd, run in the foreground with its own configuration in a temporary directory, listening on one
 * loopback port (UDP, TCP or TLS through the gtls driver) and writing every message it receives to a file, one line
 * per message, with the fields it parsed separated by {@code |}:
 * {@code PRI|TIMESTAMP|HOSTNAME|APP-NAME|PROCID|MSGID|STRUCTURED-DATA|MSG}.
 */
final class Rsyslog
        implements AutoCloseable
{
    static final String PACKAGES = "rsyslog rsyslog-gnutls";

    enum Listener
    {
        UDP, TCP, TLS
    }

    private final Path executable;
    private final Path directory;
    private final Path configFile;
    private final Path receivedFile;
    private final Listener listener;
    private final int port;
    private Process process;

    private Rsyslog(Path executable, Path directory, Listener listener, int port, Path configFile)
    {
        this.executable = executable;
        this.directory = directory;
        this.listener = listener;
        this.port = port;
        this.configFile = configFile;
        this.receivedFile = directory.resolve("received.log");
    }

    /**
     * Starts rsyslogd. Without rsyslogd (or, for TLS, its gtls driver) the calling test fails when the environment
     * variable CI is "true" and is skipped otherwise.
     */
    static Rsyslog start(Path directory, Listener listener, io.outrider.support.tls.TestingCertificates.PemSet certificates)
            throws IOException, InterruptedException
    {
        Path executable = requireInstalled(listener == Listener.TLS);
        Files.createDirectories(directory.resolve("work"));
        int port = freePort(listener);
        Path receivedFile = directory.resolve("received.log");
        StringBuilder config = new StringBuilder();
        config.append("global(workDirectory=\"").append(directory.resolve("work")).append("\" maxMessageSize=\"64k\"");
        if (listener == Listener.TLS) {
            requireNonNull(certificates, "certificates is null");
            config.append(" DefaultNetstreamDriverCAFile=\"").append(certificates.caFile()).append('"')
                    .append(" DefaultNetstreamDriverCertFile=\"").append(certificates.serverCertFile()).append('"')
                    .append(" DefaultNetstreamDriverKeyFile=\"").append(certificates.serverKeyFile()).append('"');
        }
        config.append(")\n");
        switch (listener) {
            case UDP -> config.append("module(load=\"imudp\")\n");
            case TCP -> config.append("module(load=\"imtcp\")\n");
            // x509/certvalid: the client must present a certificate signed by the CA
            case TLS -> config.append("module(load=\"imtcp\" StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" StreamDriver.AuthMode=\"x509/certvalid\")\n");
        }
        config.append("template(name=\"fields\" type=\"string\" string=\"%pri%|%timestamp:::date-rfc3339%|%hostname%|%app-name%|%procid%|%msgid%|%structured-data%|%msg%\\n\")\n");
        config.append("ruleset(name=\"received\") { action(type=\"omfile\" file=\"").append(receivedFile).append("\" template=\"fields\") }\n");
        config.append("input(type=\"").append(listener == Listener.UDP ? "imudp" : "imtcp").append("\" address=\"127.0.0.1\" port=\"").append(port)
                .append("\" ruleset=\"received\")\n");
        Path configFile = Files.writeString(directory.resolve("rsyslog.conf"), config.toString());
        Rsyslog rsyslog = new Rsyslog(executable, directory, listener, port, configFile);
        rsyslog.start();
        return rsyslog;
    }

    int port()
    {
        return port;
    }

    /** Starts the daemon (again, on the same port) and waits until it listens. */
    void start()
            throws IOException, InterruptedException
    {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("rsyslogd is running");
        }
        process = new ProcessBuilder(executable.toString(), "-n", "-f", configFile.toString(), "-i", directory.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("rsyslogd.out").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try {
            while (!listening()) {
                if (!process.isAlive()) {
                    throw new AssertionError("rsyslogd exited with " + process.exitValue() + ": " + Files.readString(directory.resolve("rsyslogd.out")));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("rsyslogd does not listen on " + listener + " port " + port + " after 20s: " + Files.readString(directory.resolve("rsyslogd.out")));
                }
                Thread.sleep(20);
            }
        }
        catch (AssertionError | IOException | InterruptedException e) {
            // a daemon that came up wrong must not outlive the test
            stop();
            throw e;
        }
    }

    /** Stops the daemon gracefully (SIGTERM), forcibly after 10 seconds, and waits until it is gone. */
    void stop()
            throws InterruptedException
    {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    /** Waits until rsyslog wrote at least {@code count} lines, and returns them all. */
    List<String> awaitLines(int count, Duration timeout)
            throws IOException, InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> lines = lines();
        while (lines.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("rsyslog wrote " + lines.size() + " of " + count + " lines in " + timeout + "; last: "
                        + lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            }
            Thread.sleep(25);
            lines = lines();
        }
        return lines;
    }

    List<String> lines()
            throws IOException
    {
        if (!Files.exists(receivedFile)) {
            return List.of();
        }
        String text = Files.readString(receivedFile, StandardCharsets.UTF_8);
        // a line still being written has no LF yet
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }

    @Override
    public void close()
    {
        try {
            stop();
        }
        catch (InterruptedException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            Thread.currentThread().interrupt();
        }
    }

    /** The rsyslogd executable; fails under CI=true and skips otherwise when it (or the gtls driver) is missing. */
    static Path requireInstalled(boolean tls)
    {
        Optional<Path> executable = Stream.concat(Stream.of("/usr/sbin", "/sbin", "/usr/local/sbin"), Stream.of(System.getenv().getOrDefault("PATH", "").split(":")))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, "rsyslogd"))
                .filter(Files::isExecutable)
                .findFirst();
        String missing = executable.isEmpty() ? "rsyslogd is not installed"
                : tls && !gtlsDriverInstalled() ? "rsyslog's gtls network stream driver (lmnsd_gtls.so) is not installed" : null;
        if (missing != null) {
            String message = missing + ": install the Debian packages " + PACKAGES + " (apt-get install -y " + PACKAGES + ")";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
        return executable.get();
    }

    private static boolean gtlsDriverInstalled()
    {
        try (Stream<Path> libraries = Files.list(Path.of("/usr/lib"))) {
            return Stream.concat(Stream.of(Path.of("/usr/lib")), libraries)
                    .anyMatch(library -> Files.exists(library.resolve("rsyslog").resolve("lmnsd_gtls.so")));
        }
        catch (IOException e) {
            return false;
        }
    }

    private boolean listening()
            throws IOException
    {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        Path table = Path.of(listener == Listener.UDP ? "/proc/net/udp" : "/proc/net/tcp");
        for (String line : Files.readAllLines(table)) {
            String[] columns = line.trim().split("\\s+");
            // local_address is column 1 (0100007F:PORT); TCP listeners are in state 0A, UDP sockets in 07
            if (columns.length > 3 && columns[1].endsWith(hexPort) && (columns[3].equals("0A") || columns[3].equals("07"))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort(Listener listener)
    {
        try {
            if (listener == Listener.UDP) {
                try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                    return socket.getLocalPort();
                }
            }
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
