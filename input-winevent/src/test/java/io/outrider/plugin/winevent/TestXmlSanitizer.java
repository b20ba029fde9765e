package io.outrider.plugin.winevent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestXmlSanitizer
{
    @Test
    void cleanTextIsReturnedAsIs()
    {
        String clean = "<Data>tab\there\r\nü 😀 &amp; &#65;</Data>";
        assertThat(XmlSanitizer.sanitize(clean)).isSameAs(clean);
    }

    @Test
    void illegalCharactersAndReferencesAreRemoved()
    {
        assertThat(XmlSanitizer.sanitize("<Data>a\u0000b\u0003c\u001Fd\uFFFEe\uFFFF</Data>")).isEqualTo("<Data>abcde</Data>");
        assertThat(XmlSanitizer.sanitize("<Data>x&#3;y&#x1f;z&#9;&#65;</Data>")).isEqualTo("<Data>xyz&#9;&#65;</Data>");
        assertThat(XmlSanitizer.sanitize("<Data>lone\uD800high and \uDC00low 😀</Data>")).isEqualTo("<Data>lonehigh and low 😀</Data>");
    }
}
