package io.outrider.support.testing;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.support.net.Addresses;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What must hold for any line whatsoever given to a parser of syslog lines (sshd, linux_auth), checked by their fuzz
 * and adversarial tests; each parser then checks its own vocabulary on the events this returns.
 */
public final class SyslogParserInvariants
{
    private SyslogParserInvariants() {}

    /**
     * A result, never null; no events when unmatched; otherwise at most {@code maxEvents} events, each keeping the
     * input's fields ({@code process.pid} aside: a parser may turn the journal's text into a number), with a
     * {@code source.ip} in normalised form and a {@code source.domain} that is a host name.
     *
     * @return the events to check further; empty when the line was not matched
     */
    public static List<Event> check(Event input, ParseResult result, int maxEvents)
    {
        assertThat(result).isNotNull();
        if (!result.isMatched()) {
            assertThat(result.events()).isEmpty();
            return List.of();
        }
        assertThat(result.events()).hasSizeLessThanOrEqualTo(maxEvents);
        for (Event event : result.events()) {
            input.fields().forEach((name, value) -> {
                if (!name.equals(Fields.PROCESS_PID)) {
                    assertThat(event.fields()).containsEntry(name, value);
                }
            });
            String ip = event.fieldAsString(Fields.SOURCE_IP);
            if (ip != null) {
                assertThat(Addresses.normalizeIp(ip)).as("source.ip is a valid, normalized address").isEqualTo(ip);
            }
            String domain = event.fieldAsString(Fields.SOURCE_DOMAIN);
            if (domain != null) {
                assertThat(Addresses.isHostName(domain)).as("source.domain %s is a host name", domain).isTrue();
            }
        }
        return result.events();
    }
}
