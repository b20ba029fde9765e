package io.outrider.plugin.syslog;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Events and strings made to trip an encoder up: every character the syslog rules treat specially (quotes, backslash,
 * bracket, equals, CR, LF, controls, non-ASCII, surrogate pairs and lone surrogates), strings long enough to cross
 * the writer's chunks with a pair on the boundary, every kind of field value, and timestamps in runs of one second,
 * jumping back and beyond four-digit years.
 */
final class RandomEvents
{
    private static final String[] PIECES = {
            "a", "Z", "0", "7", ".", "-", "_", " ", "\"", "\\", "]", "[", "=", ":", "\r", "\n", "\r\n", "\t", "\u0000", "\u007f",
            "\u0080", "é", "ü", "€", "\u07ff", "\u0800", "\uffff", "\u2028", "😀", "\ud83d", "\ude00", "\ufffd", "#012", "@cee: ", "auth.", "sshd", "x".repeat(40)};
    private static final String[] FIELD_NAMES = {
            Fields.HOST_NAME, Fields.LOG_SYSLOG_HOSTNAME, Fields.PROCESS_NAME, Fields.PROCESS_PID, Fields.EVENT_ACTION, Fields.EVENT_OUTCOME, Fields.EVENT_CATEGORY,
            Fields.LOG_SYSLOG_PRIORITY, Fields.LOG_SYSLOG_FACILITY, Fields.SOURCE_IP, Fields.USER_NAME, "message", "@timestamp"};

    private final Random random;
    private Instant lastTime = Instant.parse("2026-11-23T10:00:00Z");

    RandomEvents(long seed)
    {
        this.random = new Random(seed);
    }

    Random random()
    {
        return random;
    }

    /** Mostly short strings of the tricky pieces; sometimes long ones. */
    String text()
    {
        int kind = random.nextInt(20);
        if (kind == 0) {
            return "";
        }
        if (kind == 1) {
            return longText();
        }
        StringBuilder text = new StringBuilder();
        for (int pieces = random.nextInt(12); pieces >= 0; pieces--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    /** Over a thousand characters, with a surrogate pair, a lone surrogate or a three-byte character near 1024. */
    String longText()
    {
        StringBuilder text = new StringBuilder();
        int lead = 1000 + random.nextInt(48);
        for (int i = 0; i < lead; i++) {
            text.append(random.nextInt(8) == 0 ? PIECES[random.nextInt(PIECES.length)] : "a");
        }
        for (int i = 0; i < 8; i++) {
            text.append(switch (random.nextInt(5)) {
                case 0 -> "😀";
                case 1 -> "\ud83d";
                case 2 -> "€";
                case 3 -> "\n";
                default -> "b";
            });
        }
        for (int i = random.nextInt(2000); i > 0; i--) {
            text.append(random.nextInt(3) == 0 ? "ü" : "c");
        }
        return text.toString();
    }

    String nonEmptyText()
    {
        String text = text();
        return text.isEmpty() ? "n" : text;
    }

    Object value()
    {
        return switch (random.nextInt(14)) {
            case 0, 1, 2, 3, 4 -> text();
            case 5 -> random.nextLong();
            case 6 -> (long) random.nextInt(100_000) - 50;
            case 7 -> random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
            case 8 -> random.nextInt();
            case 9 -> random.nextBoolean();
            case 10 -> switch (random.nextInt(6)) {
                case 0 -> Double.NaN;
                case 1 -> Double.NEGATIVE_INFINITY;
                case 2 -> (float) random.nextGaussian();
                case 3 -> (short) random.nextInt(Short.MAX_VALUE);
                case 4 -> new BigDecimal("12345678901234567890.5");
                default -> random.nextGaussian() * 1e6;
            };
            case 11 -> List.of(text(), random.nextLong(), List.of(random.nextBoolean()));
            case 12 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put(nonEmptyText(), text());
                map.put("n", random.nextInt(10));
                yield map;
            }
            default -> String.valueOf(random.nextInt(200));
        };
    }

    Instant timestamp()
    {
        Instant time = switch (random.nextInt(12)) {
            case 0 -> Instant.ofEpochSecond(random.nextLong(-62_200_000_000L, 253_450_000_000L), random.nextInt(1_000_000_000));
            case 1 -> lastTime.minusSeconds(random.nextInt(3_600));
            case 2 -> random.nextBoolean() ? Instant.parse("+10000-01-01T00:00:00Z") : Instant.parse("-0001-12-31T23:59:59.999Z");
            case 3 -> lastTime.plusSeconds(1 + random.nextInt(90_000));
            default -> Instant.ofEpochSecond(lastTime.getEpochSecond(), random.nextInt(1_000_000_000));
        };
        lastTime = time.isBefore(Instant.parse("0000-01-01T00:00:00Z")) || time.isAfter(Instant.parse("9999-01-01T00:00:00Z")) ? lastTime : time;
        return time;
    }

    Event event()
    {
        Event.Builder event = Event.builder().timestamp(timestamp()).message(text());
        for (int fields = random.nextInt(16); fields > 0; fields--) {
            String name = random.nextInt(3) == 0 ? nonEmptyText() : FIELD_NAMES[random.nextInt(FIELD_NAMES.length)];
            event.field(name, value());
        }
        return event.build();
    }
}
