package io.outrider.spi.testing;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Parser;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Feeds a {@link Parser} the events the agent's file and journald inputs make of log lines, read at a fixed moment
 * (so that year-less syslog timestamps resolve the same on every run), and asserts on what it makes of them.
 *
 * <pre>{@code
 * ParserHarness harness = new ParserHarness(new MyParser(config), Instant.parse("2026-11-23T10:00:00Z"));
 * Event event = harness.single("Nov 22 14:03:07 web1 sshd[1]: Invalid user a from 192.0.2.1 port 2");
 * assertThat(ParserHarness.outcome(event)).isEqualTo("auth.login_failed/invalid_user");
 * }</pre>
 *
 * <p>Not thread-safe: one harness per test, as the agent gives each input thread its own parser.
 */
public final class ParserHarness
{
    /** The agent's {@code host.name} on every event the harness makes. */
    public static final String HOST_NAME = "agent-host";
    /** The {@code log.file.path} of the file events the harness makes. */
    public static final String LOG_FILE_PATH = "/var/log/auth.log";
    /** What {@link #outcome} says of an event without {@code event.action}. */
    public static final String NO_ACTION = "other";

    private final Parser parser;
    private final Instant readAt;

    /** @param readAt when the inputs read the lines: every event's timestamp before the parser sets its own */
    public ParserHarness(Parser parser, Instant readAt)
    {
        this.parser = requireNonNull(parser, "parser is null");
        this.readAt = requireNonNull(readAt, "readAt is null");
    }

    /** The event the file input makes of {@code line}, read from {@link #LOG_FILE_PATH} at {@code readAt}. */
    public static Event fileEvent(Instant readAt, String line)
    {
        return Event.builder()
                .timestamp(readAt)
                .message(line)
                .field(Fields.LOG_FILE_PATH, LOG_FILE_PATH)
                .field(Fields.HOST_NAME, HOST_NAME)
                .build();
    }

    /**
     * The event the journald input makes of one entry: the bare text (no syslog prefix), the identifier in
     * {@code process.name}, the PID as the journal gave it ({@code pid} is put as it is, so a test may give text or
     * a number).
     */
    public static Event journalEvent(Instant readAt, String program, Object pid, String text)
    {
        return Event.builder()
                .timestamp(readAt)
                .message(text)
                .field(Fields.HOST_NAME, HOST_NAME)
                .field(Fields.PROCESS_NAME, program)
                .field(Fields.PROCESS_PID, pid)
                .build();
    }

    /** {@code action/reason} of an event ({@code action/null} without a reason), or {@value #NO_ACTION}. */
    public static String outcome(Event event)
    {
        Object action = event.field(Fields.EVENT_ACTION);
        return action == null ? NO_ACTION : action + "/" + event.field(Fields.EVENT_REASON);
    }

    /** When this harness's inputs read their lines. */
    public Instant readAt()
    {
        return readAt;
    }

    /** {@link #fileEvent(Instant, String)} at this harness's {@link #readAt()}. */
    public Event fileEvent(String line)
    {
        return fileEvent(readAt, line);
    }

    /** {@link #journalEvent(Instant, String, Object, String)} at this harness's {@link #readAt()}. */
    public Event journalEvent(String program, Object pid, String text)
    {
        return journalEvent(readAt, program, pid, text);
    }

    public ParseResult parse(Event event)
    {
        return parser.parse(event);
    }

    /** What the parser makes of {@code line} as the file input delivers it. */
    public ParseResult parseLine(String line)
    {
        return parser.parse(fileEvent(line));
    }

    /** The events the parser makes of {@code line}; none when it does not match. */
    public List<Event> events(String line)
    {
        return parseLine(line).events();
    }

    /** The single event {@code line} makes. @throws AssertionError when it makes none or several, or does not match */
    public Event single(String line)
    {
        return single(fileEvent(line));
    }

    /** The single event {@code event} makes. @throws AssertionError when it makes none or several, or does not match */
    public Event single(Event event)
    {
        ParseResult result = parser.parse(event);
        if (result == null || !result.isMatched() || result.events().size() != 1) {
            throw new AssertionError("expected one event from <" + event.message() + "> but got " + result);
        }
        return result.events().get(0);
    }
}
