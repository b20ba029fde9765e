package io.outrider.support.tls;

import io.outrider.support.tls.TestingCertificates.Issued;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;

import static io.outrider.support.tls.TestingCertificates.dns;
import static io.outrider.support.tls.TestingCertificates.ip;
import static org.assertj.core.api.Assertions.assertThat;

class TestHostnameMatcher
{
    private final Issued ca = TestingCertificates.ca("CN=test ca");

    @Test
    void aWildcardIsOneWholeLeftMostLabel()
    {
        X509Certificate certificate = TestingCertificates.server(ca, dns("*.logs.example.com")).certificate();

        assertThat(HostnameMatcher.matches(certificate, "eu.logs.example.com")).isTrue();
        assertThat(HostnameMatcher.matches(certificate, "EU.Logs.Example.COM.")).isTrue();
        assertThat(HostnameMatcher.matches(certificate, "logs.example.com")).isFalse();
        assertThat(HostnameMatcher.matches(certificate, "a.eu.logs.example.com")).isFalse();
        assertThat(HostnameMatcher.matches(certificate, "evil-logs.example.com")).isFalse();
    }

    @Test
    void aWildcardNeedsTwoLabelsAfterIt()
    {
        X509Certificate certificate = TestingCertificates.server(ca, dns("*.com")).certificate();

        assertThat(HostnameMatcher.matches(certificate, "example.com")).isFalse();
    }

    @Test
    void addressesMatchOnlyAddressNamesByValue()
    {
        X509Certificate certificate = TestingCertificates.server(ca, ip("::1"), ip("10.0.0.7"), dns("10.0.0.8")).certificate();

        assertThat(HostnameMatcher.matches(certificate, "[0:0:0:0:0:0:0:1]")).isTrue();
        assertThat(HostnameMatcher.matches(certificate, "10.0.0.7")).isTrue();
        assertThat(HostnameMatcher.matches(certificate, "10.0.0.8")).as("a DNS name spelled like an address is not an address").isFalse();
        assertThat(HostnameMatcher.describeNames(certificate)).isEqualTo("DNS:10.0.0.8, IP:::1, IP:10.0.0.7");
    }

    @Test
    void theCommonNameIsNotConsulted()
    {
        X509Certificate certificate = TestingCertificates.ca("CN=collector.example.com").certificate();

        assertThat(HostnameMatcher.matches(certificate, "collector.example.com")).isFalse();
        assertThat(HostnameMatcher.describeNames(certificate)).isEqualTo("no subject alternative names");
    }

    @Test
    void addressLiteralsAreRecognisedWithoutALookup()
    {
        assertThat(HostnameMatcher.isAddressLiteral("192.168.1.10")).isTrue();
        assertThat(HostnameMatcher.isAddressLiteral("fe80::1%eth0")).isTrue();
        assertThat(HostnameMatcher.isAddressLiteral("256.1.1.1")).isFalse();
        assertThat(HostnameMatcher.isAddressLiteral("1.2.3")).isFalse();
        assertThat(HostnameMatcher.isAddressLiteral("collector.example.com")).isFalse();
    }

    /** A certificate for ::1 was described as "IP:0:0:0:0:0:0:0:1", the JDK's form. */
    @Test
    void ipv6NamesAreShownAsPeopleWriteThem()
    {
        assertThat(HostnameMatcher.shortIpv6("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(HostnameMatcher.shortIpv6("2001:db8:0:0:0:0:2:1")).isEqualTo("2001:db8::2:1");
        assertThat(HostnameMatcher.shortIpv6("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(HostnameMatcher.shortIpv6("fe80:0:0:0:0:0:0:0")).isEqualTo("fe80::");
        assertThat(HostnameMatcher.shortIpv6("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(HostnameMatcher.shortIpv6("2001:0:0:1:0:0:0:1")).isEqualTo("2001:0:0:1::1");
        assertThat(HostnameMatcher.shortIpv6("127.0.0.1")).isEqualTo("127.0.0.1");
    }
}
