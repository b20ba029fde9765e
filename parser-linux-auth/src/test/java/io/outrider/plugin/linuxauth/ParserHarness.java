package io.outrider.plugin.linuxauth;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Feeds lines to a {@link LinuxAuthParser} the way the file and journald inputs deliver them. */
final class ParserHarness
{
    /** When the test "reads" its lines: classic timestamps resolve to this year. */
    static final Instant READ_AT = Instant.parse("2026-12-05T16:00:00Z");
    static final String AGENT_HOST = "agent-host";

    private final LinuxAuthParser parser;

    ParserHarness()
    {
        this(new LinuxAuthParserConfig(null, "UTC", null, null, null, null));
    }

    ParserHarness(LinuxAuthParserConfig config)
    {
        this.parser = new LinuxAuthParser(config, config.timezone() == null ? ZoneOffset.UTC : ZoneId.of(config.timezone()));
    }

    /** The event a file input makes of one line. */
    static Event fileEvent(String line)
    {
        return Event.builder()
                .timestamp(READ_AT)
                .message(line)
                .field(Fields.LOG_FILE_PATH, "/var/log/auth.log")
                .field(Fields.HOST_NAME, AGENT_HOST)
                .build();
    }

    /** The event the journald input makes of one entry: the bare text, the identifier in process.name, the PID as text. */
    static Event journalEvent(String program, String pid, String text)
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
        return single(fileEvent(line));
    }

    Event single(Event event)
    {
        ParseResult result = parser.parse(event);
        if (!result.isMatched() || result.events().size() != 1) {
            throw new AssertionError("expected one event from <" + event.message() + "> but got " + result);
        }
        return result.events().get(0);
    }

    /** {@code action/reason} of an event. */
    static String outcome(Event event)
    {
        return event.field(Fields.EVENT_ACTION) + "/" + event.field(Fields.EVENT_REASON);
    }
}
