package io.outrider.plugin.winevent;

import io.outrider.support.ReadFrom;
import io.outrider.support.config.Checks;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Creates {@code winevent} inputs: live channels through the Windows Event Log API (Windows only), or an import of
 * rendered event XML files (any OS).
 */
public final class WinEventInputFactory
        implements InputFactory<WinEventInputConfig>
{
    /** Earlier versions spelled the positions oldest and newest; the file input's vocabulary is now the only one. */
    private static final Map<String, ReadFrom> FORMER_SPELLINGS = Map.of("oldest", ReadFrom.BEGINNING, "newest", ReadFrom.END);
    static final int MAX_BATCH_SIZE = 10_000;

    private final boolean windows;
    private final Supplier<EventLogApi> apiFactory;

    /** The factory the plugin offers: live channels through JNA when running on Windows. */
    public WinEventInputFactory()
    {
        // The lambda's body, and with it the JNA classes, is reached only when a live input runs on Windows.
        this(isWindows(), () -> new WevtapiEventLogApi());
    }

    /**
     * @param windows whether live channels can be read here
     * @param apiFactory creates the event log API when a live input starts
     */
    public WinEventInputFactory(boolean windows, Supplier<EventLogApi> apiFactory)
    {
        this.windows = windows;
        this.apiFactory = requireNonNull(apiFactory, "apiFactory is null");
    }

    static boolean isWindows()
    {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    @Override
    public String type()
    {
        return "winevent";
    }

    @Override
    public Class<WinEventInputConfig> configClass()
    {
        return WinEventInputConfig.class;
    }

    @Override
    public String description()
    {
        return "Windows Event Log channels with bookmarks that survive restarts, clears and rollovers; imports rendered event XML on any OS; gives logons and account, group, privilege, process, service, scheduled task and log clearing events the shared security event.action vocabulary (the table of event ids and actions is in the plugin's README)";
    }

    @Override
    public void validate(WinEventInputConfig config)
            throws InvalidConfigException
    {
        List<Problem> problems = new ArrayList<>();
        if (config.importMode()) {
            if (!config.channels().isEmpty() || !config.queries().isEmpty()) {
                problems.add(new Problem("files", "files (import mode) cannot be combined with channels or queries: use one input for each"));
            }
            for (Path file : config.files()) {
                if (file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".evtx")) {
                    problems.add(new Problem("files", file + " is a binary .evtx file: render it to XML first (evtxexport -f xml FILE, or wevtutil qe FILE /lf:true /f:xml)"));
                }
                else if (!Files.isRegularFile(file)) {
                    problems.add(new Problem("files", file + " does not exist or is not a regular file"));
                }
            }
        }
        else if (!windows) {
            problems.add(new Problem("channels", "live Windows event log channels can only be read on Windows; on this machine, import rendered event XML with files instead"));
        }
        Set<String> seen = new HashSet<>();
        for (String channel : config.channels()) {
            if (channel == null || channel.isBlank()) {
                problems.add(new Problem("channels", "a channel name is empty"));
            }
            else if (!seen.add(channel.toLowerCase(Locale.ROOT))) {
                problems.add(new Problem("channels", "channel " + channel + " is listed twice"));
            }
        }
        config.queries().forEach((channel, query) -> {
            if (channel.isBlank()) {
                problems.add(new Problem("queries", "a query has an empty channel name"));
            }
            if (query == null || query.isBlank()) {
                problems.add(new Problem("queries." + channel, "the query is empty"));
            }
        });
        try {
            EventIdSelection.parse(config.eventIds());
        }
        catch (IllegalArgumentException e) {
            problems.add(new Problem("event_ids", e.getMessage()));
        }
        try {
            EventLevels.parse(config.levels());
        }
        catch (IllegalArgumentException e) {
            problems.add(new Problem("levels", e.getMessage()));
        }
        for (String provider : config.providers()) {
            if (provider == null || provider.isBlank()) {
                problems.add(new Problem("providers", "a provider name is empty"));
            }
            else if (!QueryBuilder.isQuotable(provider)) {
                problems.add(new Problem("providers", "provider name " + provider + " cannot contain both ' and \""));
            }
        }
        Checks.between(problems, "poll_interval", config.pollInterval(), Duration.ofMillis(1), Duration.ofHours(1));
        ReadFrom.problem(config.readFrom(), FORMER_SPELLINGS).ifPresent(problem -> problems.add(new Problem("read_from", problem)));
        Checks.between(problems, "batch_size", config.batchSize(), 1, MAX_BATCH_SIZE);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    @Override
    public Input create(WinEventInputConfig config, ComponentContext context)
            throws InvalidConfigException
    {
        validate(config);
        EventIdSelection ids = EventIdSelection.parse(config.eventIds());
        Set<Integer> levels = EventLevels.parse(config.levels());
        if (config.importMode()) {
            return new XmlFileImportInput(config.files(), new EventFilter(ids, levels, config.providers()), config, context);
        }
        return new LiveWinEventInput(channelQueries(config), config, apiFactory, context);
    }

    /** The channels to subscribe to and their queries: {@code channels} then channels named only in {@code queries}. */
    static List<ChannelQuery> channelQueries(WinEventInputConfig config)
    {
        EventIdSelection ids = EventIdSelection.parse(config.eventIds());
        Set<Integer> levels = EventLevels.parse(config.levels());
        // Windows compares channel names without regard to case, and so does this list.
        Map<String, String> channels = new LinkedHashMap<>();
        for (String channel : config.channels()) {
            channels.putIfAbsent(channel.toLowerCase(Locale.ROOT), channel);
        }
        config.queries().keySet().stream().sorted().forEach(channel -> channels.putIfAbsent(channel.toLowerCase(Locale.ROOT), channel));
        List<ChannelQuery> result = new ArrayList<>();
        for (String channel : channels.values()) {
            String raw = rawQuery(config, channel);
            String query;
            if (raw != null) {
                query = QueryBuilder.fromRaw(channel, raw);
            }
            else {
                EventIdSelection channelIds = config.eventIds().isEmpty() ? DefaultEventIds.selectionFor(channel) : ids;
                query = QueryBuilder.build(channel, channelIds, levels, config.providers());
            }
            result.add(new ChannelQuery(channel, query));
        }
        return List.copyOf(result);
    }

    private static String rawQuery(WinEventInputConfig config, String channel)
    {
        for (Map.Entry<String, String> entry : config.queries().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(channel)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
