package io.outrider.plugin.syslog;

import io.outrider.support.tls.TestingCertificates;
import io.outrider.support.tls.TestingCertificates.PemSet;
import io.outrider.support.tls.TlsSettings;
import io.outrider.spi.DataSize;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.testing.PluginChecks;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSyslogPlugin
{
    private final SyslogOutputFactory factory = new SyslogOutputFactory();

    @Test
    void isAValidPlugin()
    {
        PluginChecks.assertValidPlugin(SyslogPlugin.class);
        assertThat(new SyslogPlugin().outputFactories()).singleElement().satisfies(factory -> assertThat(factory.type()).isEqualTo("syslog"));
    }

    @Test
    void fillsDefaults()
            throws Exception
    {
        SyslogOutputConfig tcp = SyslogOutputConfig.defaults("logs.example", null);
        assertThat(tcp.transport()).isEqualTo(Transport.TCP);
        assertThat(tcp.port()).isEqualTo(514);
        assertThat(tcp.format()).isEqualTo(SyslogFormat.RFC5424);
        assertThat(tcp.framing()).isEqualTo(Framing.OCTET_COUNTING);
        assertThat(tcp.maxMessageSize()).isEqualTo(DataSize.ofBytes(8192));
        assertThat(tcp.sdId()).isEqualTo("outrider@32473");
        assertThat(tcp.tls()).isEqualTo(TlsSettings.DEFAULT);
        assertThat(tcp.tls().verifiesCertificate()).isTrue();
        assertThat(tcp.tls().verifiesHostname()).isTrue();
        assertThat(SyslogOutputConfig.defaults("h", Transport.TLS).port()).isEqualTo(6514);
        assertThat(SyslogOutputConfig.defaults("h", Transport.UDP).maxMessageSize()).isEqualTo(DataSize.ofBytes(2048));
        factory.validate(tcp);
        factory.validate(SyslogOutputConfig.defaults("h", Transport.UDP));
    }

    @Test
    void reportsEveryProblemAtOnce()
    {
        SyslogOutputConfig config = new SyslogOutputConfig(" ", 70000, Transport.UDP, SyslogFormat.RFC5424, Framing.LF, MessageBody.MESSAGE, true,
                null, null, null, null, "", "outrider", List.of(""), DataSize.ofBytes(100000), "Mars/Olympus", Duration.ZERO, null,
                Duration.ofMinutes(5), Duration.ofSeconds(30), new TlsSettings(null, null, null, Path.of("/ca.pem"), null, null, null, null, null, null));

        assertThatThrownBy(() -> factory.validate(config))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("host: must not be empty; "
                        + "port: must be between 1 and 65535, not 70000; "
                        + "cee_prefix: needs body: json or ecs; "
                        + "app_name: must not be empty; "
                        + "sd_id: 'outrider' is not an SD-ID of the form name@enterprise-number (at most 32 printable ASCII characters, no space, =, ] or \"); "
                        + "sd_fields: field names must not be empty; "
                        + "max_message_size: must be between 480 and 65507 bytes over udp, not 100000; "
                        + "time_zone: 'Mars/Olympus' is not a time zone id; use a region such as Europe/Paris, or UTC, or an offset such as +02:00; "
                        + "connect_timeout: must be positive, not 0s; "
                        + "reconnect_backoff: must not be longer than max_reconnect_backoff; "
                        + "tls: TLS settings need transport: tls");
    }

    /** A URL or a host with its port validated, then failed at the first connection with "cannot resolve http://127.0.0.1:514". */
    @Test
    void aHostThatIsAUrlOrCarriesAPortSaysHowToWriteIt()
    {
        assertThat(SyslogOutputFactory.hostProblem("http://127.0.0.1:514")).contains(
                "'http://127.0.0.1:514' is a URL; host is a name or an address: write the server's name or address alone (127.0.0.1), and its port as port:");
        assertThat(SyslogOutputFactory.hostProblem("tcp://[::1]:514/x")).contains(
                "'tcp://[::1]:514/x' is a URL; host is a name or an address: write the server's name or address alone ([::1]), and its port as port:");
        assertThat(SyslogOutputFactory.hostProblem("127.0.0.1:514")).contains("'127.0.0.1:514' holds a port: write host: 127.0.0.1 and port: 514");
        assertThat(SyslogOutputFactory.hostProblem("[::1]")).contains("write an IPv6 address without brackets: host: ::1");
        assertThat(SyslogOutputFactory.hostProblem("logs/1")).contains("'logs/1' is not a host name or address");
        assertThat(SyslogOutputFactory.hostProblem("::1")).isEmpty();
        assertThat(SyslogOutputFactory.hostProblem("fe80::1%eth0")).isEmpty();
        assertThat(SyslogOutputFactory.hostProblem("collector.example")).isEmpty();
        assertThat(SyslogOutputFactory.hostProblem("192.0.2.7")).isEmpty();
    }

    @Test
    void warnsOfLineFramingOverUdp()
    {
        SyslogOutputConfig udp = new SyslogOutputConfig("127.0.0.1", null, Transport.UDP, null, Framing.LF, null, false, null, null, null, null,
                null, null, List.of(), null, null, null, null, null, null, null);
        assertThat(factory.warnings(udp)).containsExactly("transport: udp loses the messages the server cannot take at once, without a word, and counts"
                        + " them as sent: a batch of hundreds can overflow an idle server's receive buffer, even on loopback; use tcp or tls where every event must arrive",
                "framing: lf does nothing over udp (one message per datagram); it applies to transport: tcp");
        SyslogOutputConfig tcp = new SyslogOutputConfig("127.0.0.1", null, Transport.TCP, null, Framing.LF, null, false, null, null, null, null,
                null, null, List.of(), null, null, null, null, null, null, null);
        assertThat(factory.warnings(tcp)).isEmpty();
    }

    /** "my app ünï" was sent as my_app__n_ without a word. */
    @Test
    void warnsOfAnAppNameTheHeaderCannotCarry()
    {
        SyslogOutputConfig config = new SyslogOutputConfig("127.0.0.1", null, Transport.TCP, null, null, null, false, null, null, null, null,
                "my app ünï", null, List.of(), null, null, null, null, null, null, null);
        assertThat(factory.warnings(config)).containsExactly("app_name 'my app ünï' has characters a syslog header cannot carry (spaces, non-ASCII): each is sent as _");
        SyslogOutputConfig plain = new SyslogOutputConfig("127.0.0.1", null, Transport.TCP, null, null, null, false, null, null, null, null,
                "my_app", null, List.of(), null, null, null, null, null, null, null);
        assertThat(factory.warnings(plain)).isEmpty();
    }

    @Test
    void checksTlsSettings(@TempDir Path directory)
            throws Exception
    {
        Path missing = directory.resolve("missing.pem");
        SyslogOutputConfig lfOverTls = tls(new TlsSettings(null, null, null, missing, missing, null, null, null, null, null), Framing.LF);
        assertThatThrownBy(() -> factory.validate(lfOverTls))
                .hasMessage("framing: TLS (RFC 5425) allows only octet_counting; "
                        + "tls.key_file: mutual TLS needs both tls.crt_file and tls.key_file; "
                        + "tls.ca_file: cannot read " + missing + "; "
                        + "tls.crt_file: cannot read " + missing);
    }

    @Test
    void acceptsTheKeyFormsEveryNetworkOutputAccepts(@TempDir Path directory)
            throws Exception
    {
        // PKCS#1 and encrypted PKCS#8 keys were refused here before the outputs shared one tls: block
        TestingCertificates.Issued ca = TestingCertificates.ca("CN=test ca");
        java.security.KeyPair rsa = TestingCertificates.rsaKeyPair();
        Path certificate = TestingCertificates.writePem(directory.resolve("client.crt"), TestingCertificates.client(ca, rsa).certificate());
        Path pkcs1 = TestingCertificates.writePem(directory.resolve("pkcs1.key"), rsa);
        Path encrypted = TestingCertificates.writeEncryptedPkcs8(directory.resolve("encrypted.key"), rsa, "key-pass");

        factory.create(tls(new TlsSettings(null, null, null, null, certificate, pkcs1, null, null, null, null), null),
                TestingComponentContext.builder(directory).build()).close();
        factory.create(tls(new TlsSettings(null, null, null, null, certificate, encrypted, "key-pass", null, null, null), null),
                TestingComponentContext.builder(directory).build()).close();
    }

    @Test
    void oldTlsNamesStillWorkAndWarn(@TempDir Path directory)
    {
        Path certificate = directory.resolve("client.crt");
        SyslogOutputConfig old = tls(new TlsSettings(null, null, null, null, null, directory.resolve("client.key"), null, certificate, null, null), null);

        assertThat(old.tls().crtFileOrAlias()).isEqualTo(certificate);
        assertThat(factory.warnings(old)).containsExactly(
                "tls.cert_file is deprecated and will be removed in the next minor version: rename it to tls.crt_file");
    }

    private static SyslogOutputConfig tls(TlsSettings tls, Framing framing)
    {
        return new SyslogOutputConfig("localhost", null, Transport.TLS, null, framing, null, false, null, null, null, null, null, null, null,
                null, null, null, null, null, null, tls);
    }
}
