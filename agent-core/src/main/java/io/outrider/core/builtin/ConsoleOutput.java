package io.outrider.core.builtin;

import io.outrider.core.storage.EventCodec;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Output;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Prints events to standard output, as JSON lines or one readable line each. */
final class ConsoleOutput
        implements Output
{
    private final ConsoleOutputFactory.Config config;
    private final PrintStream out;

    ConsoleOutput(ConsoleOutputFactory.Config config, PrintStream out)
    {
        this.config = requireNonNull(config, "config is null");
        this.out = requireNonNull(out, "out is null");
    }

    @Override
    public DeliveryResult deliver(List<Event> batch)
    {
        StringBuilder text = new StringBuilder(batch.size() * 200);
        for (Event event : batch) {
            // standard output is usually a terminal: nothing from an event may reach it as a control character
            text.append(config.format() == ConsoleOutputFactory.Format.JSON
                    ? TerminalText.escapeJson(EventCodec.toJsonLine(event))
                    : TerminalText.escape(readable(event))).append('\n');
        }
        out.print(text);
        out.flush();
        return out.checkError() ? DeliveryResult.retryLater("standard output cannot be written") : DeliveryResult.delivered();
    }

    /**
     * {@code 2026-11-23T10:00:00Z auth.login_failed source.ip=203.0.113.4 user.name=root | <message>}, with control
     * characters as they are (see {@link TerminalText#escape}).
     */
    static String readable(Event event)
    {
        StringBuilder line = new StringBuilder();
        line.append(event.timestamp());
        Object action = event.field(Fields.EVENT_ACTION);
        if (action != null) {
            line.append(' ').append(action);
        }
        for (Map.Entry<String, Object> field : event.fields().entrySet()) {
            String name = field.getKey();
            if (name.equals(Fields.EVENT_ACTION) || name.equals(Fields.EVENT_ORIGINAL) || name.startsWith("log.") || name.equals(Fields.HOST_NAME)) {
                continue;
            }
            line.append(' ').append(name).append('=').append(field.getValue());
        }
        line.append(" | ").append(event.message());
        return line.toString();
    }

    @Override
    public void close()
    {
        out.flush();
    }
}
