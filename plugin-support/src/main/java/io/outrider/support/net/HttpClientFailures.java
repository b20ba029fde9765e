package io.outrider.support.net;

import io.outrider.support.Redactor;

import javax.net.ssl.SSLException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Says in a few words why an HTTP exchange ({@code io.outrider.support.http.Http1Client}, or the JDK's
 * {@code HttpClient}) could not get an answer, naming the option that bounds a timeout and what to check for TLS, so
 * that every output posting over HTTP (http, otlp) reports the same failure the same way. A client may nest the cause
 * that carries the meaning (a socket's {@link ConnectException}, an {@link SSLException}) under exceptions without a
 * message, so the whole chain is looked at. Every text taken from
 * an exception goes through the output's {@link Redactor}: a key in a URL or header must not reach a log.
 * Thread-safe (stateless).
 */
public final class HttpClientFailures
{
    private HttpClientFailures() {}

    /**
     * The reason, for {@code "cannot reach " + target + ": " + reason}.
     *
     * @param connectTimeout the output's {@code connect_timeout}, named when the connection timed out
     * @param requestTimeout the output's {@code request_timeout}, named when the answer timed out
     */
    public static String describe(IOException failure, Duration connectTimeout, Duration requestTimeout, Redactor redactor)
    {
        requireNonNull(failure, "failure is null");
        requireNonNull(redactor, "redactor is null");
        if (failure instanceof HttpConnectTimeoutException) {
            return "no connection within connect_timeout (" + connectTimeout + ")";
        }
        if (failure instanceof HttpTimeoutException) {
            return "no answer within request_timeout (" + requestTimeout + ")";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "the host name does not resolve (DNS)";
            }
            if (cause instanceof SSLException) {
                String message = redactor.clean(String.valueOf(cause.getMessage()));
                if (message.startsWith("the server's certificate")) {
                    // the trust manager said which certificate and what to set (VerifyingTrustManager)
                    return "TLS failed: " + message;
                }
                if (message.startsWith("Unsupported or unrecognized SSL message")) {
                    // what the JDK says when the answer to its hello is not TLS at all: a plain http port
                    return "TLS failed: the server did not answer in TLS; is the endpoint's port a plain http one (then write http://)?";
                }
                return "TLS failed (" + message + "); check tls.ca_file, that the server certificate names the"
                        + " endpoint's host, and tls.crt_file/key_file if the collector wants a client certificate";
            }
            if (cause instanceof NoRouteToHostException) {
                return "no route to host";
            }
        }
        boolean connectFailed = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                connectFailed = true;
                // the HttpClient wraps the socket's exception, which carries the message, in one without
                String message = cause.getMessage();
                if (message != null && !message.isEmpty()) {
                    return redactor.clean(message).toLowerCase(Locale.ROOT);
                }
            }
        }
        if (connectFailed) {
            return "could not connect (refused or closed while connecting)";
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null || message.isEmpty() ? "" : ": " + redactor.clean(message));
    }
}
