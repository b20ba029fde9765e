package io.outrider.plugin.syslog;

import io.outrider.spi.Event;
import io.outrider.spi.EventVisitor;
import io.outrider.spi.Fields;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The encoders' stored-event path ({@link SyslogEncoder#encode(List, int, SyslogWriter)}, driven by an
 * {@link EventVisitor}) against their {@link Event} path, byte for byte, over random events shown as the agent's
 * buffer shows them: text as UTF-8 byte ranges inside a larger array (sometimes ill-formed, as a damaged buffer
 * holds it), or as strings where UTF-8 cannot hold them.
 */
class TestStoredEventEncoding
{
    private final AtomicInteger eventPathTruncations = new AtomicInteger();
    private final AtomicInteger storedPathTruncations = new AtomicInteger();

    @Test
    void rfc5424WritesWhatTheEventPathWrites()
            throws Exception
    {
        RandomEvents random = new RandomEvents(55424);
        List<SyslogEncoder[]> encoders = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            SyslogEventMapper mapper = mapper(random);
            // mostly all fields (the stored path); sometimes sd_fields, which the stored path hands to the Event path
            Optional<List<String>> sdFields = random.random().nextInt(6) == 0 ? Optional.of(List.of(Fields.SOURCE_IP, "absent", Fields.USER_NAME)) : Optional.empty();
            int maxBytes = i % 3 == 0 ? 300 + random.random().nextInt(300) : i % 3 == 1 ? 2048 : 480 + random.random().nextInt(8000);
            boolean escapeLineBreaks = random.random().nextBoolean();
            encoders.add(new SyslogEncoder[] {
                    new Rfc5424Encoder(mapper, "outrider@32473", sdFields, maxBytes, escapeLineBreaks, eventPathTruncations::incrementAndGet),
                    new Rfc5424Encoder(mapper, "outrider@32473", sdFields, maxBytes, escapeLineBreaks, storedPathTruncations::incrementAndGet)});
        }
        compare(random, encoders);
    }

    @Test
    void rfc5424WithoutStructuredDataWritesWhatTheEventPathWrites()
            throws Exception
    {
        // sd_fields: [] reads the header and the message from the stored event; maps and lists in fields do not matter
        RandomEvents random = new RandomEvents(5425);
        List<SyslogEncoder[]> encoders = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            SyslogEventMapper mapper = mapper(random);
            int maxBytes = i % 3 == 0 ? 60 + random.random().nextInt(300) : i % 3 == 1 ? 2048 : 480 + random.random().nextInt(8000);
            boolean escapeLineBreaks = random.random().nextBoolean();
            encoders.add(new SyslogEncoder[] {
                    new Rfc5424Encoder(mapper, "outrider@32473", Optional.of(List.of()), maxBytes, escapeLineBreaks, eventPathTruncations::incrementAndGet),
                    new Rfc5424Encoder(mapper, "outrider@32473", Optional.of(List.of()), maxBytes, escapeLineBreaks, storedPathTruncations::incrementAndGet)});
        }
        compare(random, encoders);
    }

    @Test
    void rfc3164WritesWhatTheEventPathWrites()
            throws Exception
    {
        RandomEvents random = new RandomEvents(53164);
        List<ZoneId> zones = List.of(ZoneId.of("UTC"), ZoneId.of("Asia/Kolkata"), ZoneId.of("America/New_York"), ZoneOffset.ofHoursMinutesSeconds(-3, -17, -42));
        List<SyslogEncoder[]> encoders = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            SyslogEventMapper mapper = mapper(random);
            ZoneId zone = zones.get(i % zones.size());
            int maxBytes = i % 3 == 0 ? 300 + random.random().nextInt(300) : i % 3 == 1 ? 1024 : 480 + random.random().nextInt(8000);
            boolean escapeLineBreaks = random.random().nextBoolean();
            encoders.add(new SyslogEncoder[] {
                    new Rfc3164Encoder(mapper, zone, maxBytes, escapeLineBreaks, eventPathTruncations::incrementAndGet),
                    new Rfc3164Encoder(mapper, zone, maxBytes, escapeLineBreaks, storedPathTruncations::incrementAndGet)});
        }
        compare(random, encoders);
    }

    @Test
    void readsHeaderFieldsFromBytes()
            throws Exception
    {
        SyslogEventMapper mapper = new SyslogEventMapper(Facility.USER, Facility.AUTHPRIV, Severity.INFO, Severity.WARNING, "outrider", "agent-host",
                MessageBody.MESSAGE, false);
        Event event = Event.builder()
                .timestamp(java.time.Instant.parse("2026-11-23T10:53:59.123456789Z"))
                .message("Failed password for root")
                .field(Fields.HOST_NAME, "web 1")
                .field(Fields.PROCESS_NAME, "sshd")
                .field(Fields.PROCESS_PID, 4242L)
                .field(Fields.EVENT_ACTION, "ssh_login_failed")
                .field(Fields.EVENT_CATEGORY, "authentication")
                .field(Fields.SOURCE_IP, "203.0.113.9")
                .field("n", 3L)
                .build();
        SyslogWriter out = new SyslogWriter(16);
        new Rfc5424Encoder(mapper, "outrider@32473", Optional.empty(), 2048, false, () -> {}).encode(new StoredBatch(List.of(event), new Random(1), true), 0, out);

        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("<84>1 2026-11-23T10:53:59.123456Z web_1 sshd 4242 ssh_login_failed "
                + "[outrider@32473 host.name=\"web 1\" process.name=\"sshd\" process.pid=\"4242\" event.action=\"ssh_login_failed\" "
                + "event.category=\"authentication\" source.ip=\"203.0.113.9\" n=\"3\"] Failed password for root");
    }

    private static SyslogEventMapper mapper(RandomEvents random)
    {
        MessageBody body = MessageBody.values()[random.random().nextInt(MessageBody.values().length)];
        return new SyslogEventMapper(Facility.USER, Facility.AUTHPRIV, Severity.INFO, Severity.WARNING, random.nonEmptyText(), random.nonEmptyText(), body,
                body != MessageBody.MESSAGE && random.random().nextBoolean());
    }

    private void compare(RandomEvents random, List<SyslogEncoder[]> encoders)
            throws Exception
    {
        SyslogWriter eventOut = new SyslogWriter(16);
        SyslogWriter storedOut = new SyslogWriter(16);
        int compared = 0;
        for (int i = 0; i < 10_000; i++) {
            SyslogEncoder[] pair = encoders.get(random.random().nextInt(encoders.size()));
            Event event = event(random);
            StoredBatch batch = new StoredBatch(List.of(random.event(), event), new Random(i), random.random().nextInt(4) != 0);
            // appended after what the writers hold already, as a batch's messages are
            String before = random.text();
            eventOut.reset();
            eventOut.text(before, false);
            storedOut.reset();
            storedOut.text(before, false);
            int beforeBytes = eventOut.size();
            int eventTruncations = eventPathTruncations.get();
            int storedTruncations = storedPathTruncations.get();
            String rejection = null;
            try {
                pair[0].encode(event, eventOut);
            }
            catch (UnencodableEventException e) {
                rejection = e.getMessage();
            }
            if (rejection != null) {
                assertThatThrownBy(() -> pair[1].encode(batch, 1, storedOut)).isInstanceOf(UnencodableEventException.class).hasMessage(rejection);
                assertThat(storedOut.toByteArray()).isEqualTo(Arrays.copyOf(eventOut.buffer(), beforeBytes));
                continue;
            }
            pair[1].encode(batch, 1, storedOut);
            assertThat(storedOut.toByteArray()).as("%s", event).isEqualTo(eventOut.toByteArray());
            assertThat(storedPathTruncations.get() - storedTruncations).as("truncated: %s", event).isEqualTo(eventPathTruncations.get() - eventTruncations);
            compared++;
        }
        assertThat(compared).isGreaterThan(5_000);
    }

    /**
     * Half the events hold no map or list (which the stored path hands to the {@link Event} path when it writes
     * them), and the header fields often hold the values that change PRI.
     */
    private static Event event(RandomEvents random)
    {
        Random r = random.random();
        boolean plain = r.nextBoolean();
        Event.Builder event = Event.builder().timestamp(random.timestamp()).message(random.text());
        for (int fields = r.nextInt(16); fields > 0; fields--) {
            int kind = r.nextInt(12);
            String name;
            Object value;
            switch (kind) {
                case 0 -> {
                    name = Fields.EVENT_ACTION;
                    value = pick(r, "ssh_login", "auth.login", "AUTH.x", "Auth.", "auth", "x_failed", "x.failed", "x_failure", "x_FAILED", "İauth.", "é_failed", "");
                }
                case 1 -> {
                    name = Fields.EVENT_OUTCOME;
                    value = pick(r, "failure", "FAILURE", "Failure", "faİlure", "success", "failures", " failure", true, 7L);
                }
                case 2 -> {
                    name = Fields.EVENT_CATEGORY;
                    value = plain ? pick(r, "authentication", "network", "Authentication") : pick(r, List.of("network", "authentication"), List.of(List.of("authentication")),
                            Map.of("authentication", "authentication"), "authentication");
                }
                case 3 -> {
                    name = Fields.LOG_SYSLOG_PRIORITY;
                    value = pick(r, "13", " 7 ", "191", "192", "0", "007", "1234", "", " ", "٣", "-1", "+5", 86L, -3L, 300L, 2.0, true, (short) 9);
                }
                case 4 -> {
                    name = Fields.LOG_SYSLOG_FACILITY;
                    value = pick(r, "auth", "AUTHPRIV", "local7", "4", "nonsense", 10L, 99L, 3.7, true, new java.math.BigInteger("16"));
                }
                case 5 -> {
                    name = pick(r, Fields.HOST_NAME, Fields.PROCESS_NAME, Fields.PROCESS_PID);
                    value = pick(r, "web-1", "  ", "\t", "\u001c", "\u2003", "", "x".repeat(300), "a b", "ü", 42L, false, 1.5);
                }
                default -> {
                    name = r.nextInt(3) == 0 ? random.nonEmptyText() : pick(r, Fields.HOST_NAME, Fields.PROCESS_NAME, Fields.PROCESS_PID, Fields.EVENT_ACTION,
                            Fields.SOURCE_IP, Fields.USER_NAME, "message", "@timestamp", Fields.LOG_SYSLOG_PRIORITY, Fields.LOG_SYSLOG_FACILITY);
                    value = random.value();
                }
            }
            if (plain && (value instanceof List || value instanceof Map)) {
                continue;
            }
            event.field(name, value);
        }
        return event.build();
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... values)
    {
        return values[random.nextInt(values.length)];
    }

    /**
     * A batch that shows its events to visitors as the agent's buffer does: text as UTF-8 ranges within a larger
     * array (other bytes around them), ill-formed where the string holds U+FFFD (which is what decoding ill-formed
     * UTF-8 gives), and as strings where UTF-8 cannot hold the text (a lone surrogate) or, when {@code bytes} is
     * false, always.
     */
    private static final class StoredBatch
            extends AbstractList<Event>
            implements EventVisitor.Source
    {
        private final List<Event> events;
        private final Random random;
        private final boolean bytes;

        StoredBatch(List<Event> events, Random random, boolean bytes)
        {
            this.events = List.copyOf(events);
            this.random = random;
            this.bytes = bytes;
        }

        @Override
        public Event get(int index)
        {
            return events.get(index);
        }

        @Override
        public int size()
        {
            return events.size();
        }

        @Override
        public void visit(int index, EventVisitor visitor)
        {
            EventVisitor.visit(events.get(index), new AsBytes(visitor));
        }

        /** Passes everything on, but text as bytes where they decode to the same text. */
        private final class AsBytes
                implements EventVisitor
        {
            private final EventVisitor target;

            AsBytes(EventVisitor target)
            {
                this.target = target;
            }

            /** The text's UTF-8 within a larger array: {@code [array, offset, length]}, or null when UTF-8 cannot hold it. */
            private Object[] encoded(String text)
            {
                if (!bytes) {
                    return null;
                }
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                if (text.indexOf('\ufffd') >= 0 && random.nextBoolean()) {
                    // a damaged buffer: 0xFF decodes to U+FFFD as EF BF BD does
                    utf8 = new String(utf8, StandardCharsets.ISO_8859_1).replace("\u00ef\u00bf\u00bd", "\u00ff").getBytes(StandardCharsets.ISO_8859_1);
                }
                if (!new String(utf8, StandardCharsets.UTF_8).equals(text)) {
                    return null;
                }
                int offset = random.nextInt(8);
                byte[] array = new byte[offset + utf8.length + random.nextInt(8)];
                Arrays.fill(array, (byte) '"');
                System.arraycopy(utf8, 0, array, offset, utf8.length);
                return new Object[] {array, offset, utf8.length};
            }

            @Override
            public void timestamp(long epochSecond, int nanos)
            {
                target.timestamp(epochSecond, nanos);
            }

            @Override
            public void message(byte[] utf8, int offset, int length)
            {
                target.message(utf8, offset, length);
            }

            @Override
            public void message(String text)
            {
                Object[] range = encoded(text);
                if (range == null) {
                    target.message(text);
                }
                else {
                    target.message((byte[]) range[0], (Integer) range[1], (Integer) range[2]);
                }
            }

            @Override
            public void name(String name)
            {
                target.name(name);
            }

            @Override
            public void nullValue()
            {
                target.nullValue();
            }

            @Override
            public void booleanValue(boolean value)
            {
                target.booleanValue(value);
            }

            @Override
            public void longValue(long value)
            {
                target.longValue(value);
            }

            @Override
            public void doubleValue(double value)
            {
                target.doubleValue(value);
            }

            @Override
            public void stringValue(byte[] utf8, int offset, int length)
            {
                target.stringValue(utf8, offset, length);
            }

            @Override
            public void stringValue(String text)
            {
                Object[] range = encoded(text);
                if (range == null) {
                    target.stringValue(text);
                }
                else {
                    target.stringValue((byte[]) range[0], (Integer) range[1], (Integer) range[2]);
                }
            }

            @Override
            public void numberValue(Number value)
            {
                target.numberValue(value);
            }

            @Override
            public void startMap(int entries)
            {
                target.startMap(entries);
            }

            @Override
            public void endMap()
            {
                target.endMap();
            }

            @Override
            public void startList(int elements)
            {
                target.startList(elements);
            }

            @Override
            public void endList()
            {
                target.endList();
            }
        }
    }
}
