package io.outrider.plugin.kafka;

import io.outrider.support.tls.TestingCertificates;
import io.outrider.support.tls.TestingCertificates.PemSet;
import io.outrider.support.tls.TlsSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) in a child JVM on 127.0.0.1, run from the
 * {@code org.apache.kafka:kafka_2.13} jars whose classpath the build writes to
 * {@code target/kafka-broker.classpath}. Listeners: PLAINTEXT (its user is a super user), SASL_PLAINTEXT with
 * PLAIN users {@code admin} (super user) and {@code bob} (no ACLs: authorized for nothing) and the SCRAM-SHA-256
 * user {@code alice} (super user), and SSL requiring a client certificate ({@code CN=outrider-agent}, super user) from
 * a CA made at start. The StandardAuthorizer denies whatever no ACL allows.
 */
final class KafkaBroker
        implements AutoCloseable
{
    static final String ADMIN_PASSWORD = "admin-secret";
    static final String BOB_PASSWORD = "bob-secret";
    static final String ALICE_PASSWORD = "alice-secret";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path directory;
    private final String classpath;
    private final int plaintextPort;
    private final int saslPort;
    private final int sslPort;
    private final PemSet certificates;
    private Process process;

    private KafkaBroker(Path directory, String classpath, int plaintextPort, int saslPort, int sslPort, PemSet certificates)
    {
        this.directory = directory;
        this.classpath = classpath;
        this.plaintextPort = plaintextPort;
        this.saslPort = saslPort;
        this.sslPort = sslPort;
        this.certificates = certificates;
    }

    /** Formats a fresh storage directory under {@code directory} and starts the broker; waits until it serves. */
    static KafkaBroker start(Path directory)
            throws Exception
    {
        Path classpathFile = Path.of(System.getProperty("basedir", "."), "target", "kafka-broker.classpath").toAbsolutePath().normalize();
        if (!Files.isReadable(classpathFile)) {
            throw new AssertionError(classpathFile + " is missing: run the tests through Maven (process-test-resources writes it)");
        }
        String classpath = Files.readString(classpathFile).strip();
        int[] ports = freePorts(4);
        KafkaBroker broker = new KafkaBroker(directory, classpath, ports[0], ports[2], ports[3], TestingCertificates.rsaPemFiles(directory.resolve("tls")));
        Files.writeString(directory.resolve("server.properties"), broker.serverProperties(ports[1]), StandardCharsets.UTF_8);
        broker.run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", directory.resolve("server.properties").toString(),
                "--add-scram", "SCRAM-SHA-256=[name=alice,password=" + ALICE_PASSWORD + "]"), directory.resolve("format.log"));
        broker.startProcess();
        return broker;
    }

    String bootstrap()
    {
        return "127.0.0.1:" + plaintextPort;
    }

    String saslBootstrap()
    {
        return "127.0.0.1:" + saslPort;
    }

    /** The TLS listener; it requires a client certificate signed by {@link #certificates()}' CA. */
    String sslBootstrap()
    {
        return "127.0.0.1:" + sslPort;
    }

    PemSet certificates()
    {
        return certificates;
    }

    /** Kills the broker the hard way (SIGKILL), as a crash or power loss of the process would. */
    void kill()
            throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the killed broker did not end within 30s");
        }
    }

    /** Starts the broker again on the same ports and data; waits until it serves. */
    void restart()
            throws Exception
    {
        startProcess();
    }

    Map<String, Object> adminProperties()
    {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(), AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
    }

    /** A PEM file as a one-line properties value ({@code \\n} for its line breaks). */
    private static String pemValue(Path file)
            throws IOException
    {
        return Files.readString(file, StandardCharsets.US_ASCII).strip().replace("\r", "").replace("\n", "\\n");
    }

    private String serverProperties(int controllerPort)
            throws IOException
    {
        Path data = directory.resolve("data");
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + plaintextPort + ",CONTROLLER://127.0.0.1:" + controllerPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort
                        + ",SSL://127.0.0.1:" + sslPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + plaintextPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort + ",SSL://127.0.0.1:" + sslPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL",
                "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " user_admin=\"" + ADMIN_PASSWORD + "\" user_bob=\"" + BOB_PASSWORD + "\";",
                "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:ANONYMOUS;User:admin;User:alice;User:CN=outrider-agent",
                "allow.everyone.if.no.acl.found=false",
                "log.dirs=" + data,
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // the cleaner's default 128 MiB dedupe buffer does not fit the small heap
                "log.cleaner.dedupe.buffer.size=2097152",
                "log.cleaner.threads=1",
                "num.network.threads=2",
                "num.io.threads=2",
                "background.threads=2",
                "num.recovery.threads.per.data.dir=1",
                "listener.name.ssl.ssl.keystore.type=PEM",
                "listener.name.ssl.ssl.keystore.certificate.chain=" + pemValue(certificates.serverCertFile()),
                "listener.name.ssl.ssl.keystore.key=" + pemValue(certificates.serverKeyFile()),
                "listener.name.ssl.ssl.truststore.type=PEM",
                "listener.name.ssl.ssl.truststore.certificates=" + pemValue(certificates.caFile()),
                "listener.name.ssl.ssl.client.auth=required",
                "");
    }

    private List<String> javaCommand(List<String> mainAndArguments)
    {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", classpath));
        command.addAll(mainAndArguments);
        return command;
    }

    private void run(List<String> mainAndArguments, Path log)
            throws IOException, InterruptedException
    {
        Process tool = new ProcessBuilder(javaCommand(mainAndArguments)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!tool.waitFor(60, TimeUnit.SECONDS)) {
            tool.destroyForcibly();
            throw new AssertionError(mainAndArguments.get(0) + " did not finish within 60s; see " + log);
        }
        if (tool.exitValue() != 0) {
            throw new AssertionError(mainAndArguments.get(0) + " failed with exit code " + tool.exitValue() + ":\n" + tail(log));
        }
    }

    private void startProcess()
            throws Exception
    {
        Path log = directory.resolve("broker.log");
        process = new ProcessBuilder(javaCommand(List.of("kafka.Kafka", directory.resolve("server.properties").toString())))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(adminProperties())) {
            while (true) {
                if (!process.isAlive()) {
                    throw new AssertionError("the broker exited with code " + process.exitValue() + ":\n" + tail(log));
                }
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                }
                catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
                    // the broker is still starting; the admin client's own request timeout paces this loop
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the broker did not serve within " + START_TIMEOUT + ":\n" + tail(log));
                }
                Thread.sleep(200);
            }
        }
    }

    private static String tail(Path log)
    {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int[] freePorts(int count)
            throws IOException
    {
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        }
        finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        return ports;
    }

    @Override
    public void close()
    {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
