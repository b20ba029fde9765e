package io.outrider.support;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestPluginSupport
{
    @Test
    void writtenJsonReadsBackTheSame()
    {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 é 𝄞");
        value.put("number", 42L);
        value.put("list", List.of(true, false, 1.5));
        value.put("nested", Map.of("k", "v"));
        StringBuilder out = new StringBuilder();
        JsonWriter.writeValue(out, value);

        assertThat(JsonReader.parse(out.toString())).isEqualTo(Map.of("text", value.get("text"), "number", 42L, "list", List.of(true, false, 1.5), "nested", Map.of("k", "v")));
        StringBuilder time = new StringBuilder();
        JsonWriter.writeTimestamp(time, Instant.parse("2026-11-23T10:00:00.123Z"));
        assertThat(time).hasToString("\"2026-11-23T10:00:00.123Z\"");
    }

    @Test
    void redactorRemovesSecretsAndTheirBase64AndBoundsTheText()
    {
        Redactor redactor = new Redactor("s3cret-key", null, "");
        assertThat(redactor.clean("denied for s3cret-key (czNjcmV0LWtleQ==)\nnext line")).isEqualTo("denied for [redacted] ([redacted]) next line");
        assertThat(redactor.clean("x".repeat(1000))).hasSizeLessThanOrEqualTo(Redactor.MAX_TEXT_LENGTH + 10);
    }
}
