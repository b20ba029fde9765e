package io.outrider.plugin.winevent;

import io.outrider.support.ReadFrom;
import io.outrider.spi.config.Description;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Configuration of the {@code winevent} input.
 *
 * <p>Either live channels (Windows only) or {@code files} of rendered event XML (any OS, import mode), never both.
 * {@code event_ids}, {@code levels} and {@code providers} are kept as written and parsed by
 * {@link WinEventInputFactory#validate} so that a mistake is reported as a sentence, not as a type error.
 *
 * @param channels live channels to read, e.g. {@code Security}; default {@code [Security, System]} when neither
 *        {@code files} nor {@code queries} are given
 * @param eventIds event ids ({@code 4624}), ranges ({@code "4700-4800"}) and exclusions ({@code -4735}); absent: the
 *        documented high-value set per channel for live channels, everything for imported files
 * @param levels level names ({@code critical, error, warning, information, verbose}) or numbers 0-5
 * @param providers provider names, e.g. {@code Microsoft-Windows-Security-Auditing}
 * @param queries a raw XPath ({@code *[System[EventID=4624]]}) or structured {@code <QueryList>} per channel; replaces
 *        {@code event_ids}, {@code levels} and {@code providers} for that channel
 * @param pollInterval how long to wait for the event log's signal before looking again; default 1s
 * @param readFrom where a live channel without a checkpoint starts: {@code end} (the default, only events written
 *        from now on) or {@code beginning} (the oldest record still in the channel); the same vocabulary as the other
 *        inputs' {@code read_from}. Text rather than an enum so that the spellings of old versions, {@code newest}
 *        and {@code oldest}, are refused with the new one instead of a bare list of choices (see
 *        {@link ReadFrom#problem})
 * @param batchSize events per read and per emitted batch; default 100
 * @param files rendered event XML files to import ({@code wevtutil qe /f:xml}, {@code evtxexport -f xml})
 * @param includeXml keep the event's XML in {@code event.original}; default false
 */
public record WinEventInputConfig(
        @Description("Live event log channels to read (Windows only), e.g. Security, System, Microsoft-Windows-Sysmon/Operational")
        List<String> channels,
        @Description("Event ids, ranges and exclusions, e.g. [4624, \"4700-4800\", -4735]; default: the documented high-value set")
        List<Object> eventIds,
        @Description("Levels to keep: critical, error, warning, information, verbose, or 0-5")
        List<Object> levels,
        @Description("Provider names to keep")
        List<String> providers,
        @Description("A raw XPath or <QueryList> per channel, replacing event_ids, levels and providers for it")
        Map<String, String> queries,
        @Description("How long to wait for new events before looking again")
        Duration pollInterval,
        @Description("Where a live channel without a checkpoint starts: end (only events written from now on) or beginning (the oldest record still in the channel)")
        String readFrom,
        @Description("Events per read and per batch")
        Integer batchSize,
        @Description("Rendered event XML files to import instead of live channels (any OS)")
        List<Path> files,
        @Description("Keep each event's XML in event.original")
        Boolean includeXml)
{
    /** Channels read when the configuration names none. */
    public static final List<String> DEFAULT_CHANNELS = List.of("Security", "System");
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_BATCH_SIZE = 100;

    public WinEventInputConfig
    {
        boolean importMode = files != null && !files.isEmpty();
        channels = channels == null
                ? (importMode || (queries != null && !queries.isEmpty()) ? List.of() : DEFAULT_CHANNELS)
                : List.copyOf(channels);
        eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
        levels = levels == null ? List.of() : List.copyOf(levels);
        providers = providers == null ? List.of() : List.copyOf(providers);
        queries = queries == null ? Map.of() : Map.copyOf(queries);
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
        readFrom = readFrom == null ? "end" : readFrom;
        batchSize = batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
        files = files == null ? List.of() : List.copyOf(files);
        includeXml = includeXml != null && includeXml;
    }

    /** Whether this configuration imports files rather than reading live channels. */
    public boolean importMode()
    {
        return !files.isEmpty();
    }

    /** Where a live channel without a checkpoint starts; valid once {@link WinEventInputFactory#validate} accepted the configuration. */
    public ReadFrom readFromPosition()
    {
        return ReadFrom.parse(readFrom).orElseThrow();
    }
}
