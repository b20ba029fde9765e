package io.outrider.support.net;

import io.outrider.support.Redactor;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TestHttpClientFailures
{
    private static final String KEY = "lsk_live_s3cr3t";
    private final Redactor redactor = new Redactor(KEY);

    private String describe(IOException failure)
    {
        return HttpClientFailures.describe(failure, Duration.ofSeconds(5), Duration.ofSeconds(30), redactor);
    }

    @Test
    void timeoutsNameTheOptionThatBoundsThem()
    {
        assertThat(describe(new HttpConnectTimeoutException("HTTP connect timed out"))).isEqualTo("no connection within connect_timeout (PT5S)");
        assertThat(describe(new HttpTimeoutException("request timed out"))).isEqualTo("no answer within request_timeout (PT30S)");
    }

    @Test
    void causesNestedUnderMessagelessExceptionsAreFound()
    {
        assertThat(describe(new IOException(null, new UnresolvedAddressException()))).isEqualTo("the host name does not resolve (DNS)");
        assertThat(describe(new IOException("x", new UnknownHostException("collector.invalid")))).isEqualTo("the host name does not resolve (DNS)");
        assertThat(describe(new IOException(new NoRouteToHostException("No route to host")))).isEqualTo("no route to host");
        assertThat(describe(new IOException(new ConnectException("Connection refused")))).isEqualTo("connection refused");
        assertThat(describe(new ConnectException())).isEqualTo("could not connect (refused or closed while connecting)");
    }

    @Test
    void tlsFailureSaysWhatToCheckWithTheMessageRedacted()
    {
        assertThat(describe(new IOException(new SSLHandshakeException("PKIX path building failed for key " + KEY))))
                .isEqualTo("TLS failed (PKIX path building failed for key [redacted]); check tls.ca_file, that the server certificate names the"
                        + " endpoint's host, and tls.crt_file/key_file if the collector wants a client certificate");
    }

    @Test
    void anythingElseIsItsTypeAndRedactedMessage()
    {
        assertThat(describe(new IOException("closed while reading ?key=" + KEY))).isEqualTo("IOException: closed while reading ?key=[redacted]");
        assertThat(describe(new IOException())).isEqualTo("IOException");
    }
}
