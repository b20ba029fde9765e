package com.example.outrider.nginx;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Parser;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Parses nginx access log lines in the {@code combined} format (and {@code common}, which lacks the referrer and
 * user agent) into HTTP request events with ECS field names. A line that is not an access log line is left
 * unmatched, so the pipeline's {@code unmatched} policy decides what happens to it.
 *
 * <p>The agent never calls one instance concurrently; this class keeps no state across lines anyway.
 */
public final class NginxAccessParser
        implements Parser
{
    // $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent ["$http_referer" "$http_user_agent"]
    private static final Pattern ACCESS_LINE = Pattern.compile(
            "^(\\S+) \\S+ (\\S+) \\[([^\\]]+)] \"((?:[^\"\\\\]|\\\\.)*+)\" (\\d{3}) (\\d+|-)(?: \"((?:[^\"\\\\]|\\\\.)*+)\" \"((?:[^\"\\\\]|\\\\.)*+)\")?.*$");
    private static final DateTimeFormatter TIME_LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    public static final String DATASET = "nginx.access";

    private final NginxAccessParserConfig config;

    public NginxAccessParser(NginxAccessParserConfig config)
    {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    public ParseResult parse(Event event)
    {
        Matcher matcher = ACCESS_LINE.matcher(event.message());
        if (!matcher.matches()) {
            return ParseResult.unmatched();
        }
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(matcher.group(3), TIME_LOCAL);
        }
        catch (DateTimeParseException e) {
            return ParseResult.unmatched();
        }
        Request request = Request.of(matcher.group(4));
        if (request.path() != null && config.dropPaths().stream().anyMatch(request.path()::startsWith)) {
            // recognised and deliberately discarded (health checks and the like)
            return ParseResult.matched(List.of());
        }
        int status = Integer.parseInt(matcher.group(5));
        Event.Builder parsed = event.toBuilder()
                .timestamp(time.toInstant())
                .field(Fields.EVENT_MODULE, "nginx")
                .field(Fields.EVENT_DATASET, DATASET)
                .field(Fields.EVENT_KIND, "event")
                .field(Fields.EVENT_CATEGORY, "web")
                .field(Fields.EVENT_ACTION, "http_request")
                .field(Fields.EVENT_OUTCOME, status < 400 ? Fields.OUTCOME_SUCCESS : Fields.OUTCOME_FAILURE)
                .field(Fields.SOURCE_IP, matcher.group(1))
                .field(Fields.USER_NAME, dashIsAbsent(matcher.group(2)))
                .field("http.request.method", request.method())
                .field("url.original", request.target())
                .field("url.path", request.path())
                .field("http.version", request.version())
                .field("http.response.status_code", status)
                .field("http.response.body.bytes", "-".equals(matcher.group(6)) ? null : Long.parseLong(matcher.group(6)))
                .field("http.request.referrer", dashIsAbsent(matcher.group(7)))
                .field("user_agent.original", dashIsAbsent(matcher.group(8)));
        if (config.keepOriginal()) {
            parsed.field(Fields.EVENT_ORIGINAL, event.message());
        }
        return ParseResult.matched(parsed.build());
    }

    private static String dashIsAbsent(String value)
    {
        return value == null || value.equals("-") ? null : value;
    }

    /** The request line, {@code GET /a?b HTTP/1.1}; parts are null when the client sent something else. */
    private record Request(String method, String target, String path, String version)
    {
        static Request of(String line)
        {
            String[] parts = line.split(" ");
            if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
                return new Request(null, dashIsAbsent(line.isEmpty() ? null : line), null, null);
            }
            int query = parts[1].indexOf('?');
            String path = query < 0 ? parts[1] : parts[1].substring(0, query);
            return new Request(parts[0], parts[1], path, parts[2].substring("HTTP/".length()));
        }
    }
}
