package io.outrider.plugin.sshd;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.spi.testing.TestingMetrics;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/** Feeds lines to an {@link SshdParser} the way the file and journald inputs deliver them. */
final class ParserHarness
{
    /** When the test "reads" its lines: classic timestamps resolve to the year before or this one. */
    static final Instant READ_AT = Instant.parse("2026-11-23T10:00:00Z");
    static final String LOG_PATH = "/var/log/auth.log";
    static final String AGENT_HOST = "agent-host";

    private final SshdParser parser;
    final TestingMetrics metrics = new TestingMetrics();

    ParserHarness()
    {
        this(new SshdParserConfig(null, "UTC", null, null, null, null, null, null));
    }

    ParserHarness(SshdParserConfig config)
    {
        this.parser = new SshdParser(config, config.timezone() == null ? ZoneOffset.UTC : ZoneId.of(config.timezone()), metrics);
    }

    /** The event a file input makes of one line. */
    static Event fileEvent(String line)
    {
        return Event.builder()
                .timestamp(READ_AT)
                .message(line)
                .field(Fields.LOG_FILE_PATH, LOG_PATH)
                .field(Fields.HOST_NAME, AGENT_HOST)
                .build();
    }

    /** The event the journald input makes of one sshd entry. */
    static Event journalEvent(String program, Object pid, String text)
    {
        return Event.builder()
                .timestamp(READ_AT)
                .message(text)
                .field(Fields.HOST_NAME, AGENT_HOST)
                .field(Fields.PROCESS_NAME, program)
                .field(Fields.PROCESS_PID, pid)
                .build();
    }

    ParseResult parse(Event event)
    {
        return parser.parse(event);
    }

    ParseResult parseLine(String line)
    {
        return parser.parse(fileEvent(line));
    }

    /** The single event a line makes; fails when it makes none or several. */
    Event single(String line)
    {
        ParseResult result = parseLine(line);
        if (!result.isMatched() || result.events().size() != 1) {
            throw new AssertionError("expected one event from <" + line + "> but got " + result);
        }
        return result.events().get(0);
    }

    List<Event> events(String line)
    {
        return parseLine(line).events();
    }

    /** {@code action/reason} of an event, or {@code other} when it has no action. */
    static String outcome(Event event)
    {
        Object action = event.field(Fields.EVENT_ACTION);
        return action == null ? "other" : action + "/" + event.field(Fields.EVENT_REASON);
    }
}
