package io.outrider.core.config;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class TestSecretRegistry
{
    /** A key with a plus, a slash, a quote, a non-ASCII letter and a space: each has more than one encoded form. */
    private static final String SECRET = "lsk_live+7Q/2v\"\u00e9 x9";

    @Test
    void redactsTheSecretAsItIsAndUrlEncodedInEveryVariant()
    {
        SecretRegistry secrets = registry(SECRET);
        assertThat(secrets.redact("key " + SECRET + " refused")).isEqualTo("key ****** refused");
        assertThat(secrets.redact("GET /ingest?key=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8) + "&x=1")).isEqualTo("GET /ingest?key=******&x=1");
        assertThat(secrets.redact("key=lsk_live%2B7Q%2F2v%22%C3%A9%20x9")).isEqualTo("key=******");
        assertThat(secrets.redact("key=lsk_live%2b7Q%2f2v%22%c3%a9+x9")).isEqualTo("key=******");
        assertThat(secrets.redact("key=lsk_live+7Q%2F2v%22%C3%A9+x9")).isEqualTo("key=******");
    }

    @Test
    void redactsTheSecretJsonEscaped()
    {
        SecretRegistry secrets = registry(SECRET);
        assertThat(secrets.redact("{\"key\":\"lsk_live+7Q/2v\\\"\u00e9 x9\"}")).isEqualTo("{\"key\":\"******\"}");
        assertThat(secrets.redact("{\"key\":\"lsk_live+7Q\\/2v\\\"\\u00e9 x9\"}")).isEqualTo("{\"key\":\"******\"}");
        assertThat(secrets.redact("{\"key\":\"lsk_live+7Q/2v\\\"\\u00E9 x9\"}")).isEqualTo("{\"key\":\"******\"}");
    }

    @Test
    void redactsTheSecretInBase64AloneAndInsideLongerEncodedText()
    {
        SecretRegistry secrets = registry(SECRET);
        byte[] utf8 = SECRET.getBytes(StandardCharsets.UTF_8);
        assertThat(secrets.redact("token " + Base64.getEncoder().encodeToString(utf8))).isEqualTo("token ******");
        assertThat(secrets.redact("token " + Base64.getUrlEncoder().withoutPadding().encodeToString(utf8))).isEqualTo("token ******");
        // the core never learns the user name of a Basic header: the secret is found at any position in the groups
        assertThat(secrets.redact("Authorization: Basic YWdlbnQtNzpsc2tfbGl2ZSs3US8ydiLDqSB4OQ==")).isEqualTo("Authorization: Basic YWdlbnQtNzp******Q==");
        String bearer = Base64.getEncoder().encodeToString(("Bearer " + SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(secrets.redact("echo " + bearer)).isEqualTo("echo QmVhcmVyIG******");
    }

    @Test
    void sharesNoFormsWithOrdinaryTextForShortSecrets()
    {
        SecretRegistry secrets = registry("abcd");
        assertThat(secrets.redact("abcd YWJjZA== the quick brown fox")).isEqualTo("****** ****** the quick brown fox");
        assertThat(registry("abc").isEmpty()).isTrue();
    }

    private static SecretRegistry registry(String secret)
    {
        SecretRegistry secrets = new SecretRegistry();
        secrets.register(secret);
        return secrets;
    }
}
