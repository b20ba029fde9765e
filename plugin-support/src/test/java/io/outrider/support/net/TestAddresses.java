package io.outrider.support.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestAddresses
{
    @Test
    void ipv4()
    {
        assertThat(Addresses.normalizeIp("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(Addresses.normalizeIp("0.0.0.0")).isEqualTo("0.0.0.0");
        assertThat(Addresses.normalizeIp("255.255.255.255")).isEqualTo("255.255.255.255");
        assertThat(Addresses.normalizeIp("256.1.1.1")).isNull();
        assertThat(Addresses.normalizeIp("1234.1.1.1")).isNull();
        assertThat(Addresses.normalizeIp("1.2.3")).isNull();
        assertThat(Addresses.normalizeIp("1.2.3.4.5")).isNull();
        assertThat(Addresses.normalizeIp("1.2.3.")).isNull();
        assertThat(Addresses.normalizeIp("1..2.3")).isNull();
        assertThat(Addresses.normalizeIp("1234.1.1.1")).isNull();
    }

    @Test
    void ipv6()
    {
        assertThat(Addresses.normalizeIp("2001:DB8::17")).isEqualTo("2001:db8::17");
        assertThat(Addresses.normalizeIp("::1")).isEqualTo("::1");
        assertThat(Addresses.normalizeIp("::")).isEqualTo("::");
        assertThat(Addresses.normalizeIp("1::")).isEqualTo("1::");
        assertThat(Addresses.normalizeIp("1:2:3:4:5:6:7:8")).isEqualTo("1:2:3:4:5:6:7:8");
        assertThat(Addresses.normalizeIp("fe80::1%eth0")).isEqualTo("fe80::1%eth0");
        assertThat(Addresses.normalizeIp("64:ff9b::192.0.2.1")).isEqualTo("64:ff9b::192.0.2.1");
        assertThat(Addresses.normalizeIp("1:2:3:4:5:6:7:8:9")).isNull();
        assertThat(Addresses.normalizeIp("1:2:3:4:5:6:7")).isNull();
        assertThat(Addresses.normalizeIp(":::")).isNull();
        assertThat(Addresses.normalizeIp("1::2::3")).isNull();
        assertThat(Addresses.normalizeIp("12345::1")).isNull();
        assertThat(Addresses.normalizeIp("1:")).isNull();
        assertThat(Addresses.normalizeIp(":1")).isNull();
        assertThat(Addresses.normalizeIp("fe80::1%")).isNull();
        assertThat(Addresses.normalizeIp("fe80::1%a b")).isNull();
        assertThat(Addresses.normalizeIp("::ffff:256.1.1.1")).isNull();
    }

    @Test
    void leadingZerosAreDropped()
    {
        assertThat(Addresses.normalizeIp("01.2.3.4")).isEqualTo("1.2.3.4");
        assertThat(Addresses.normalizeIp("010.000.000.001")).isEqualTo("10.0.0.1");
        assertThat(Addresses.normalizeIp("2001:0DB8:0000::0001")).isEqualTo("2001:db8:0::1");
        assertThat(Addresses.normalizeIp("fe80::00a1%eth0")).isEqualTo("fe80::a1%eth0");
        assertThat(Addresses.normalizeIp("0256.1.1.1")).isNull();
        assertThat(Addresses.normalizeIp("001.002.003")).isNull();
    }

    @Test
    void ipv4MappedIpv6BecomesIpv4()
    {
        assertThat(Addresses.normalizeIp("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(Addresses.normalizeIp("::FFFF:192.0.2.1")).isEqualTo("192.0.2.1");
    }

    @Test
    void hostNames()
    {
        assertThat(Addresses.isHostName("5.36.59.76.dynamic-dsl-ip.omantel.net.om")).isTrue();
        assertThat(Addresses.isHostName("scanner_1.example.net")).isTrue();
        assertThat(Addresses.isHostName("localhost")).isTrue();
        assertThat(Addresses.isHostName("999.1.1.1")).isFalse();
        assertThat(Addresses.isHostName("a..b")).isFalse();
        assertThat(Addresses.isHostName(".a")).isFalse();
        assertThat(Addresses.isHostName("a b")).isFalse();
        assertThat(Addresses.isHostName("<script>")).isFalse();
        assertThat(Addresses.isHostName("")).isFalse();
        assertThat(Addresses.isHostName("a".repeat(64) + ".example")).isFalse();
        assertThat(Addresses.isHostName("a.".repeat(127) + "ab")).isFalse();
    }
}
