package io.outrider.core.logging;

import io.outrider.core.config.SecretRegistry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One line per record ({@code time level logger: message}), stack traces indented, every known secret masked in
 * every form {@link SecretRegistry} knows, and the query of every URL hidden: at debug level the JDK's HTTP client
 * logs whole request URLs, and webhook URLs carry tokens in their query that are no configured secret.
 */
public final class RedactingFormatter
        extends Formatter
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);
    private static final Pattern URL_QUERY = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^\\s?#\"'<>]*)\\?[^\\s#\"'<>]*");

    private final SecretRegistry secrets;

    public RedactingFormatter(SecretRegistry secrets)
    {
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    @Override
    public String format(LogRecord record)
    {
        StringBuilder line = new StringBuilder(160);
        line.append(TIME.format(Instant.ofEpochMilli(record.getMillis()))).append(' ')
                .append(level(record)).append(' ')
                .append(shortName(record.getLoggerName())).append(": ")
                .append(formatMessage(record)).append('\n');
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace.toString().indent(4));
        }
        return hideUrlQueries(secrets.redact(line.toString()));
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
