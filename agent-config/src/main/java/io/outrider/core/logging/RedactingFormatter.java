package io.outrider.core.logging;

import io.outrider.core.config.SecretRegistry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * {@code time level logger: message}, every known secret masked in every form {@link SecretRegistry} knows and the
 * query of every URL hidden (at debug level the JDK's HTTP client logs whole request URLs, and webhook URLs carry
 * tokens in their query that are no configured secret), in one of three {@link Style styles}: for a person at a
 * terminal or a log file (stack traces indented below the line), for a log collector reading standard error (one
 * record, one line), or for the systemd journal (one line with the syslog priority in front, no time: the journal
 * stamps each line itself).
 */
public final class RedactingFormatter
        extends Formatter
{
    /** How a record is laid out. */
    public enum Style
    {
        /** Stack traces on the lines below the record (a terminal, a log file). */
        MULTI_LINE,
        /**
         * One line per record: line breaks and other control characters in the message or the stack trace are
         * escaped ({@code \n}, {@code \t}, {@code \u001b}), so a collector (docker logs, journald) never splits a record and
         * a logged attacker-controlled string cannot forge a record or send terminal escapes.
         */
        SINGLE_LINE,
        /** {@link #SINGLE_LINE} with the sd-daemon(3) priority prefix ({@code <3>} error ... {@code <7>} debug) and no time. */
        JOURNAL,
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);
    private static final Pattern URL_QUERY = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^\\s?#\"'<>]*)\\?[^\\s#\"'<>]*");

    private final SecretRegistry secrets;
    private final Style style;

    public RedactingFormatter(SecretRegistry secrets)
    {
        this(secrets, Style.MULTI_LINE);
    }

    public RedactingFormatter(SecretRegistry secrets, Style style)
    {
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.style = requireNonNull(style, "style is null");
    }

    @Override
    public String format(LogRecord record)
    {
        StringBuilder body = new StringBuilder(160);
        body.append(level(record)).append(' ')
                .append(shortName(record.getLoggerName())).append(": ")
                .append(formatMessage(record));
        String trace = null;
        if (record.getThrown() != null) {
            StringWriter writer = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(writer));
            trace = writer.toString();
        }
        // redacted before escaping: a secret containing a character that escaping changes would no longer match
        return switch (style) {
            case MULTI_LINE -> hideUrlQueries(secrets.redact(TIME.format(Instant.ofEpochMilli(record.getMillis())) + " " + body + "\n" + (trace == null ? "" : trace.indent(4))));
            case SINGLE_LINE -> TIME.format(Instant.ofEpochMilli(record.getMillis())) + " " + oneLine(body, trace) + "\n";
            case JOURNAL -> "<" + priority(record.getLevel()) + ">" + oneLine(body, trace) + "\n";
        };
    }

    private String oneLine(StringBuilder body, String trace)
    {
        String text = hideUrlQueries(secrets.redact(trace == null ? body.toString() : body + "\n" + trace.stripTrailing()));
        return escapeControlCharacters(text);
    }

    /** The syslog priority of a level, as sd-daemon(3) reads it from the start of a line. */
    static int priority(Level level)
    {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return 3;
        }
        if (value >= Level.WARNING.intValue()) {
            return 4;
        }
        if (value >= Level.INFO.intValue()) {
            return 6;
        }
        return 7;
    }

    static String escapeControlCharacters(String text)
    {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isISOControl(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 32).append(text, 0, i);
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * {@code text} masked as a log line is: every known secret, and the query of every URL. For what leaves the agent
     * by another way than the log (a dead letter's reason, a tapped event) and must not say more than the log would.
     */
    public static String redactLikeLogs(SecretRegistry secrets, String text)
    {
        return hideUrlQueries(secrets.redact(text));
    }

    /** {@code https://host/path?token=...} becomes {@code https://host/path?******}. */
    static String hideUrlQueries(String text)
    {
        if (text.indexOf("://") < 0) {
            return text;
        }
        return URL_QUERY.matcher(text).replaceAll(match -> java.util.regex.Matcher.quoteReplacement(match.group(1) + "?" + SecretRegistry.MASK));
    }

    private static String level(LogRecord record)
    {
        return switch (record.getLevel().getName()) {
            case "SEVERE" -> "ERROR";
            case "WARNING" -> "WARN ";
            case "INFO" -> "INFO ";
            default -> "DEBUG";
        };
    }

    private static String shortName(String name)
    {
        if (name == null) {
            return "";
        }
        if (name.startsWith("io.outrider.")) {
            int dot = name.lastIndexOf('.');
            return name.substring(dot + 1);
        }
        return name;
    }
}
