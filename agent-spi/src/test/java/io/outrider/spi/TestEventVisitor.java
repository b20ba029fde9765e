package io.outrider.spi;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestEventVisitor
{
    @Test
    void anEventIsWalkedFieldByFieldInItsOrder()
    {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k", null);
        nested.put("list", Arrays.asList(1, null, 2.5f));
        Event event = Event.builder().timestamp(Instant.ofEpochSecond(-5, 7)).message("m")
                .field("s", "text").field("i", 3).field("l", Long.MIN_VALUE).field("b", true).field("d", Double.NaN)
                .field("big", BigInteger.TEN.pow(30)).field("map", nested).field("e", Thread.State.NEW).build();
        Recorder recorder = new Recorder();

        EventVisitor.visit(event, recorder);

        assertThat(recorder.calls).containsExactly("timestamp -5 7", "message m", "name s", "string text", "name i", "long 3",
                "name l", "long -9223372036854775808", "name b", "boolean true", "name d", "double NaN",
                "name big", "number 1000000000000000000000000000000", "name map", "map 2", "name k", "null", "name list", "list 3",
                "long 1", "null", "number 2.5", "end list", "end map", "name e", "string NEW");
    }

    @Test
    void aListThatIsASourceIsAskedAndAnyOtherIsWalked()
    {
        Event event = Event.of(Instant.EPOCH, "plain");
        List<Event> source = new SourceList(List.of(event));
        Recorder fromSource = new Recorder();
        Recorder walked = new Recorder();

        EventVisitor.visit(source, 0, fromSource);
        EventVisitor.visit(List.of(event), 0, walked);

        assertThat(fromSource.calls).containsExactly("timestamp 0 0", "message bytes plain");
        assertThat(walked.calls).containsExactly("timestamp 0 0", "message plain");
    }

    /** A list that shows its events as bytes, as the agent's batches do. */
    private static final class SourceList
            extends java.util.AbstractList<Event>
            implements EventVisitor.Source
    {
        private final List<Event> events;

        SourceList(List<Event> events)
        {
            this.events = events;
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
            Event event = events.get(index);
            visitor.timestamp(event.timestamp().getEpochSecond(), event.timestamp().getNano());
            byte[] message = ("##" + event.message()).getBytes(StandardCharsets.UTF_8);
            visitor.message(message, 2, message.length - 2);
        }
    }

    private static final class Recorder
            implements EventVisitor
    {
        final List<String> calls = new ArrayList<>();

        @Override
        public void timestamp(long epochSecond, int nanos)
        {
            calls.add("timestamp " + epochSecond + " " + nanos);
        }

        @Override
        public void message(byte[] utf8, int offset, int length)
        {
            calls.add("message bytes " + new String(utf8, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void message(String text)
        {
            calls.add("message " + text);
        }

        @Override
        public void name(String name)
        {
            calls.add("name " + name);
        }

        @Override
        public void nullValue()
        {
            calls.add("null");
        }

        @Override
        public void booleanValue(boolean value)
        {
            calls.add("boolean " + value);
        }

        @Override
        public void longValue(long value)
        {
            calls.add("long " + value);
        }

        @Override
        public void doubleValue(double value)
        {
            calls.add("double " + value);
        }

        @Override
        public void stringValue(byte[] utf8, int offset, int length)
        {
            calls.add("string bytes " + new String(utf8, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void stringValue(String text)
        {
            calls.add("string " + text);
        }

        @Override
        public void numberValue(Number value)
        {
            calls.add("number " + value);
        }

        @Override
        public void startMap(int entries)
        {
            calls.add("map " + entries);
        }

        @Override
        public void endMap()
        {
            calls.add("end map");
        }

        @Override
        public void startList(int elements)
        {
            calls.add("list " + elements);
        }

        @Override
        public void endList()
        {
            calls.add("end list");
        }
    }
}
