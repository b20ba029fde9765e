package io.outrider.plugin.winevent;

import io.outrider.support.ReadFrom;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.testing.PluginChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TestWinEventPlugin
{
    @TempDir
    Path directory;

    private final WinEventInputFactory linux = new WinEventInputFactory(false, FakeEventLogApi::new);
    private final WinEventInputFactory windows = new WinEventInputFactory(true, FakeEventLogApi::new);

    @Test
    void pluginIsValid()
    {
        PluginChecks.assertValidPlugin(WinEventPlugin.class);
        assertThat(new WinEventPlugin().inputFactories()).extracting(factory -> factory.type()).containsExactly("winevent");
    }

    @Test
    void defaultsFillTheRecord()
    {
        WinEventInputConfig config = config(null, null, null, null, null, null);
        assertThat(config.channels()).containsExactly("Security", "System");
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.readFrom()).isEqualTo("end");
        assertThat(config.readFromPosition()).isEqualTo(ReadFrom.END);
        assertThat(config.batchSize()).isEqualTo(100);
        assertThat(config.includeXml()).isFalse();
        assertThat(config.importMode()).isFalse();
    }

    @Test
    void liveChannelsOutsideWindowsFailWithOneSentence()
    {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> linux.validate(config(List.of("Security"), null, null, null, null, null)));
        assertThat(e.problems()).containsExactly(new Problem("channels",
                "live Windows event log channels can only be read on Windows; on this machine, import rendered event XML with files instead"));
    }

    @Test
    void importModeValidatesOnAnyOs()
            throws Exception
    {
        Path file = Corpus.fixture(Corpus.SECURITY);
        linux.validate(config(null, null, null, null, null, List.of(file)));
        // refused by its name, before anything reads it
        Path evtx = Files.write(directory.resolve("security.evtx"), "ElfFile\0".getBytes(StandardCharsets.US_ASCII));
        Path missing = directory.resolve("missing.xml");
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> linux.validate(config(List.of("Security"), null, null, null, null, List.of(evtx, missing))));
        assertThat(e.problems()).containsExactly(
                new Problem("files", "files (import mode) cannot be combined with channels or queries: use one input for each"),
                new Problem("files", evtx + " is a binary .evtx file: render it to XML first (evtxexport -f xml FILE, or wevtutil qe FILE /lf:true /f:xml)"),
                new Problem("files", missing + " does not exist or is not a regular file"));
    }

    @Test
    void everyMistakeIsReportedAtOnce()
    {
        WinEventInputConfig config = new WinEventInputConfig(List.of("Security", "security", " "), List.of(4624, "47OO"), List.of("loud"),
                List.of("a'b\"c"), Map.of("Sysmon", ""), Duration.ZERO, "middle", 0, null, null);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> windows.validate(config));
        assertThat(e.problems()).containsExactly(
                new Problem("channels", "channel security is listed twice"),
                new Problem("channels", "a channel name is empty"),
                new Problem("queries.Sysmon", "the query is empty"),
                new Problem("event_ids", "'47OO' is not an event id: write a number (4624), a range (\"4700-4800\") or an exclusion (-4735)"),
                new Problem("levels", "'loud' is not a level: use critical, error, warning, information, verbose or a number 0-255"),
                new Problem("providers", "provider name a'b\"c cannot contain both ' and \""),
                new Problem("poll_interval", "must be between 1ms and 1h, not 0s"),
                new Problem("read_from", "expected one of beginning, end but found 'middle'"),
                new Problem("batch_size", "must be between 1 and 10000, not 0"));
    }

    @Test
    void readFromTakesBeginningOrEndLikeTheOtherInputs()
            throws Exception
    {
        WinEventInputConfig beginning = readFrom("beginning");
        windows.validate(beginning);
        assertThat(beginning.readFromPosition()).isEqualTo(ReadFrom.BEGINNING);
        WinEventInputConfig end = readFrom(" End ");
        windows.validate(end);
        assertThat(end.readFromPosition()).isEqualTo(ReadFrom.END);
    }

    @Test
    void theOldSpellingsOfReadFromAreRefusedWithTheNewOnes()
    {
        InvalidConfigException oldest = catchThrowableOfType(InvalidConfigException.class, () -> windows.validate(readFrom("oldest")));
        assertThat(oldest.problems()).containsExactly(new Problem("read_from", "\"oldest\" is no longer accepted; use \"beginning\""));
        InvalidConfigException newest = catchThrowableOfType(InvalidConfigException.class, () -> windows.validate(readFrom("NEWEST")));
        assertThat(newest.problems()).containsExactly(new Problem("read_from", "\"NEWEST\" is no longer accepted; use \"end\""));
        // import mode does not use read_from, but an old spelling there is refused all the same, so it is fixed before it matters
        InvalidConfigException imported = catchThrowableOfType(InvalidConfigException.class, () -> linux.validate(
                new WinEventInputConfig(null, null, null, null, null, null, "oldest", null, List.of(Corpus.fixture(Corpus.SECURITY)), null)));
        assertThat(imported.problems()).containsExactly(new Problem("read_from", "\"oldest\" is no longer accepted; use \"beginning\""));
    }

    @Test
    void channelQueriesUseDefaultsExplicitIdsOrRawQueries()
            throws Exception
    {
        WinEventInputConfig defaults = config(List.of("Security", "Application"), null, null, null, null, null);
        windows.validate(defaults);
        List<ChannelQuery> queries = WinEventInputFactory.channelQueries(defaults);
        assertThat(queries).extracting(ChannelQuery::channel).containsExactly("Security", "Application");
        assertThat(queries.get(0).query()).isEqualTo(QueryBuilder.build("Security", DefaultEventIds.selectionFor("Security"), java.util.Set.of(), List.of()));
        assertThat(queries.get(1).query()).isEqualTo("<QueryList><Query Id=\"0\"><Select Path=\"Application\">*</Select></Query></QueryList>");
        assertThat(queries.get(0).checkpointKey()).isEqualTo("channel:Security");

        WinEventInputConfig explicit = config(List.of("Security"), List.of(4625), List.of("information"), Map.of("Microsoft-Windows-Sysmon/Operational", "*[System[EventID=1]]"), null, null);
        List<ChannelQuery> explicitQueries = WinEventInputFactory.channelQueries(explicit);
        assertThat(explicitQueries).containsExactly(
                new ChannelQuery("Security", "<QueryList><Query Id=\"0\"><Select Path=\"Security\">*[System[(EventID=4625) and (Level=0 or Level=4)]]</Select></Query></QueryList>"),
                new ChannelQuery("Microsoft-Windows-Sysmon/Operational", "<QueryList><Query Id=\"0\"><Select Path=\"Microsoft-Windows-Sysmon/Operational\">*[System[EventID=1]]</Select></Query></QueryList>"));
    }

    @Test
    void createBuildsTheInputOfTheMode(@TempDir Path data)
            throws Exception
    {
        var context = io.outrider.spi.testing.TestingComponentContext.builder(data).build();
        assertThat(linux.create(config(null, null, null, null, null, List.of(Corpus.fixture(Corpus.SYSMON))), context)).isInstanceOf(XmlFileImportInput.class);
        assertThat(windows.create(config(List.of("System"), null, null, null, null, null), context)).isInstanceOf(LiveWinEventInput.class);
        assertThatThrownBy(() -> linux.create(config(List.of("System"), null, null, null, null, null), context)).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void readmeDocumentsEveryDefaultEventWithItsMeaning()
            throws IOException
    {
        Path readme = Path.of("README.md");
        String text = Files.readString(readme);
        for (String channel : DefaultEventIds.channels()) {
            assertThat(text).contains("### " + channel);
            for (DefaultEventIds.KnownEvent known : DefaultEventIds.forChannel(channel)) {
                assertThat(text).as("README row for %s %d", channel, known.id()).contains("| " + known.id() + " | " + known.meaning() + " |");
            }
        }
    }

    private static WinEventInputConfig readFrom(String readFrom)
    {
        return new WinEventInputConfig(List.of("Security"), null, null, null, null, null, readFrom, null, null, null);
    }

    private static WinEventInputConfig config(List<String> channels, List<Object> eventIds, List<Object> levels, Map<String, String> queries, Integer batchSize, List<Path> files)
    {
        return new WinEventInputConfig(channels, eventIds, levels, null, queries, null, null, batchSize, files, null);
    }
}
