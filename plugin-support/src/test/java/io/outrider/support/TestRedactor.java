package io.outrider.support;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class TestRedactor
{
    /** A key with a plus, a slash, a quote, a non-ASCII letter and a space: each has more than one encoded form. */
    private static final String SECRET = "lsk_live+7Q/2v\"\u00e9 x9";

    private final Redactor redactor = new Redactor(SECRET);

    @Test
    void removesTheSecretAsItIsAndUrlEncodedInEveryVariant()
    {
        assertThat(redactor.clean("key " + SECRET + " refused")).isEqualTo("key [redacted] refused");
        assertThat(redactor.clean("GET /ingest?key=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8) + "&x=1")).isEqualTo("GET /ingest?key=[redacted]&x=1");
        assertThat(redactor.clean("key=lsk_live%2B7Q%2F2v%22%C3%A9%20x9")).isEqualTo("key=[redacted]");
        assertThat(redactor.clean("key=lsk_live%2b7q%2f2v%22%c3%a9+x9".replace("7q", "7Q"))).isEqualTo("key=[redacted]");
        assertThat(redactor.clean("key=lsk_live+7Q%2F2v%22%C3%A9+x9")).isEqualTo("key=[redacted]");
    }

    @Test
    void removesTheSecretJsonEscaped()
    {
        StringBuilder json = new StringBuilder();
        JsonWriter.writeString(json, SECRET);
        assertThat(redactor.clean("{\"error\":\"bad key\",\"key\":" + json + "}")).isEqualTo("{\"error\":\"bad key\",\"key\":\"[redacted]\"}");
        assertThat(redactor.clean("{\"key\":\"lsk_live+7Q\\/2v\\\"\\u00e9 x9\"}")).isEqualTo("{\"key\":\"[redacted]\"}");
        assertThat(redactor.clean("{\"key\":\"lsk_live+7Q/2v\\\"\\u00E9 x9\"}")).isEqualTo("{\"key\":\"[redacted]\"}");
    }

    @Test
    void removesTheSecretInBase64AloneAndInsideLongerEncodedText()
    {
        byte[] utf8 = SECRET.getBytes(StandardCharsets.UTF_8);
        assertThat(redactor.clean("token " + Base64.getEncoder().encodeToString(utf8))).isEqualTo("token [redacted]");
        assertThat(redactor.clean("token " + Base64.getUrlEncoder().withoutPadding().encodeToString(utf8))).isEqualTo("token [redacted]");
        // a Basic header of user:secret and a base64 copy of a whole Bearer header: the secret starts one and two
        // bytes into a group of three; only characters that share bits with the bytes around it remain
        String basic = Base64.getEncoder().encodeToString(("agent-7:" + SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(basic).isEqualTo("YWdlbnQtNzpsc2tfbGl2ZSs3US8ydiLDqSB4OQ==");
        assertThat(redactor.clean("Authorization: Basic " + basic)).isEqualTo("Authorization: Basic YWdlbnQtNzp[redacted]Q==");
        String bearer = Base64.getEncoder().encodeToString(("Bearer " + SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(redactor.clean("echo " + bearer)).isEqualTo("echo QmVhcmVyIG[redacted]");
    }

    @Test
    void escapesWhatATerminalWouldActOnAndKeepsTheRestOfABinaryAnswer()
    {
        byte[] answer = {0, 'o', 'k', 0x1b, '[', '3', '1', 'm', (byte) 0xff, (byte) 0xfe, '\r', '\n', (byte) 0xc3, (byte) 0xa9,
                (byte) 0xe2, (byte) 0x80, (byte) 0xae, 7, '!'};
        assertThat(redactor.clean(answer)).isEqualTo("\\x00ok\\x1b[31m\\xff\\xfe \u00e9\\u202e\\x07!");
        assertThat(redactor.clean("bell\u0007 del\u007f csi\u009b")).isEqualTo("bell\\x07 del\\x7f csi\\x9b");
    }

    @Test
    void cutsALongBinaryAnswer()
    {
        byte[] answer = new byte[100_000];
        Arrays.fill(answer, (byte) 0xff);
        assertThat(redactor.clean(answer)).isEqualTo("\\xff".repeat(Redactor.MAX_TEXT_LENGTH / 4) + "...");
    }

    @Test
    void findsTheSecretInAnAnswerBeforeEscapingIt()
    {
        byte[] answer = ("\u0000denied: " + SECRET + "\u0000").getBytes(StandardCharsets.UTF_8);
        assertThat(redactor.clean(answer)).isEqualTo("\\x00denied: [redacted]\\x00");
    }
}
