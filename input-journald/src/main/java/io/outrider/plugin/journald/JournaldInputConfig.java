package io.outrider.plugin.journald;

import io.outrider.support.ReadFrom;
import io.outrider.spi.DataSize;
import io.outrider.spi.config.Description;

import java.nio.file.Path;
import java.util.List;

/**
 * Configuration of the {@code journald} input.
 *
 * @param directory a journal directory to read instead of the system journal (e.g. the host's /var/log/journal
 *        mounted into a container); its machine-id sub-directories are read too
 * @param files journal files to read instead of the system journal
 * @param units systemd units whose entries to read ({@code _SYSTEMD_UNIT}); a name without a suffix gets
 *        {@code .service}
 * @param identifiers syslog identifiers whose entries to read ({@code SYSLOG_IDENTIFIER}, e.g. {@code sshd})
 * @param matches {@code FIELD=value} terms: the same field ORs, different fields AND; a {@code +} element starts
 *        another group ORed with the previous ones ({@code journalctl} semantics)
 * @param priority the least severe priority to read, by name ({@code warning}) or number (0-7)
 * @param readFrom where a first start begins: {@code end} (only new entries) or {@code beginning} (all retained);
 *        text rather than an enum so that the spellings of old versions, {@code tail} and {@code head}, are refused
 *        with the new one instead of a bare list of choices (see {@link ReadFrom#problem})
 * @param cursorFallback where to resume when the committed cursor is gone (vacuumed) or invalid: {@code beginning}
 *        or {@code end}
 * @param includeFields journal fields to put under {@code journald.}; empty means all; {@code NAME*} is a prefix
 * @param excludeFields journal fields never to put under {@code journald.}; {@code NAME*} is a prefix
 * @param maxFieldSize the longest field value kept; longer ones are cut and the event flagged {@code truncated}
 * @param batchSize the most entries handed to the agent at once
 */
public record JournaldInputConfig(
        @Description("journal directory to read instead of the system journal (machine-id sub-directories included)")
        Path directory,
        @Description("journal files to read instead of the system journal")
        List<Path> files,
        @Description("systemd units to read (_SYSTEMD_UNIT); .service is added to a name without a suffix")
        List<String> units,
        @Description("syslog identifiers to read (SYSLOG_IDENTIFIER)")
        List<String> identifiers,
        @Description("FIELD=value matches: same field OR, different fields AND, '+' starts an OR-ed group")
        List<String> matches,
        @Description("least severe priority to read: emerg, alert, crit, err, warning, notice, info, debug or 0-7")
        String priority,
        @Description("where a first start begins: end (only new entries) or beginning (every retained entry)")
        String readFrom,
        @Description("where to resume when the committed cursor was vacuumed or is invalid: beginning or end")
        String cursorFallback,
        @Description("journal fields to keep under journald. (empty: all); NAME* matches a prefix")
        List<String> includeFields,
        @Description("journal fields to drop from journald.; NAME* matches a prefix")
        List<String> excludeFields,
        @Description("longest field value kept; longer values are cut and the event flagged truncated")
        DataSize maxFieldSize,
        @Description("most entries per batch handed to the agent")
        Integer batchSize)
{
    public static final DataSize DEFAULT_MAX_FIELD_SIZE = DataSize.ofBytes(64 * 1024);
    public static final int DEFAULT_BATCH_SIZE = 1000;

    public JournaldInputConfig
    {
        files = files == null ? List.of() : List.copyOf(files);
        units = units == null ? List.of() : List.copyOf(units);
        identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
        matches = matches == null ? List.of() : List.copyOf(matches);
        readFrom = readFrom == null ? "end" : readFrom;
        cursorFallback = cursorFallback == null ? "beginning" : cursorFallback;
        includeFields = includeFields == null ? List.of() : List.copyOf(includeFields);
        excludeFields = excludeFields == null ? List.of() : List.copyOf(excludeFields);
        maxFieldSize = maxFieldSize == null ? DEFAULT_MAX_FIELD_SIZE : maxFieldSize;
        batchSize = batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
    }

    /** A configuration with every default: the system journal, no filter, from the end. */
    public static JournaldInputConfig defaults()
    {
        return new JournaldInputConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Where a first start begins; valid once {@link JournaldInputFactory#validate} accepted the configuration. */
    public ReadFrom startPosition()
    {
        return ReadFrom.parse(readFrom).orElseThrow();
    }

    /** Where to resume when the committed cursor is gone; valid once the configuration was validated. */
    public ReadFrom fallbackPosition()
    {
        return ReadFrom.parse(cursorFallback).orElseThrow();
    }
}
