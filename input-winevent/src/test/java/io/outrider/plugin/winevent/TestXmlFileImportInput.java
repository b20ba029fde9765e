package io.outrider.plugin.winevent;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;
import io.outrider.support.testing.SharedCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestXmlFileImportInput
{
    @TempDir
    Path data;

    private final WinEventInputFactory factory = new WinEventInputFactory(false, FakeEventLogApi::new);

    @Test
    void importsTheFixturesInOrderAndRemembersItIsDone()
            throws Exception
    {
        assertImportsInOrderOnce(Corpus.FIXTURE_FILES.stream().map(Corpus::fixture).toList());
    }

    @Test
    void importsTheWholeSharedCorpusInOrderAndRemembersItIsDone()
            throws Exception
    {
        assertImportsInOrderOnce(Corpus.SHARED_FILES.stream().map(SharedCorpus::winevent).toList());
    }

    private void assertImportsInOrderOnce(List<Path> files)
            throws Exception
    {
        WinEventInputConfig config = new WinEventInputConfig(null, null, null, null, null, null, null, 500, files, null);
        TestingComponentContext context = TestingComponentContext.builder(data).build();
        CollectingEmitter emitter = new CollectingEmitter();
        factory.create(config, context).run(emitter);

        List<String> expected = new ArrayList<>();
        files.forEach(file -> expected.addAll(Corpus.events(file)));
        List<Event> events = emitter.events();
        assertThat(events).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(events.get(i).field(EventXmlMapper.RECORD_ID)).isEqualTo(Corpus.recordId(expected.get(i)));
            assertThat(events.get(i).field(EventXmlMapper.EVENT_ID)).isEqualTo(Corpus.eventId(expected.get(i)));
        }
        for (Path file : files) {
            assertThat(emitter.committedCheckpoints()).containsEntry("file:" + file.toAbsolutePath().normalize(), Long.toString(Files.size(file)));
        }
        assertThat(context.metrics().counterValue("parse_errors_total")).isZero();

        CollectingEmitter again = new CollectingEmitter();
        factory.create(config, context.withCheckpoints(emitter.committedCheckpoints())).run(again);
        assertThat(again.events()).isEmpty();
    }

    @Test
    void crashMidImportResumesWithoutLossOrDuplicates()
            throws Exception
    {
        // 150 events with record IDs 1..150, made of the fixture's events
        List<String> source = Corpus.repeated(Corpus.SYSTEM, 150);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < source.size(); i++) {
            text.append(source.get(i).replaceFirst("<EventRecordID>\\d+</EventRecordID>", "<EventRecordID>" + (i + 1) + "</EventRecordID>")).append("\n\n");
        }
        Path file = Files.writeString(data.resolve("system.xml"), text);
        WinEventInputConfig config = new WinEventInputConfig(null, null, null, null, null, null, null, 10, List.of(file), null);
        TestingComponentContext context = TestingComponentContext.builder(data.resolve("state")).build();
        CollectingEmitter emitter = new CollectingEmitter();
        emitter.failAfter(7);
        assertThatThrownBy(() -> factory.create(config, context).run(emitter)).hasMessage("simulated crash before commit");
        assertThat(emitter.events()).hasSize(60);

        factory.create(config, context.withCheckpoints(emitter.committedCheckpoints())).run(emitter);
        List<Long> recordIds = new ArrayList<>();
        emitter.events().forEach(event -> recordIds.add((Long) event.field(EventXmlMapper.RECORD_ID)));
        assertThat(recordIds).containsExactlyElementsOf(LongStream.rangeClosed(1, 150).boxed().toList());
    }

    @Test
    void filtersApplyToImportedEvents()
            throws Exception
    {
        WinEventInputConfig config = new WinEventInputConfig(null, List.of("4624-4625", "4634"), List.of("information"),
                List.of("Microsoft-Windows-Security-Auditing"), null, null, null, null,
                List.of(Corpus.fixture(Corpus.SECURITY), Corpus.fixture(Corpus.EXPOSED_RDP), Corpus.fixture(Corpus.SYSMON)), null);
        CollectingEmitter emitter = new CollectingEmitter();
        factory.create(config, TestingComponentContext.builder(data).build()).run(emitter);
        // security.xml: four 4624, two 4625, one 4634 (not the 4647); exposed-rdp.xml: one 4625; sysmon.xml: none
        assertThat(emitter.events()).hasSize(7 + 1);
        assertThat(emitter.events()).allSatisfy(event -> assertThat(event.fieldAsString(Fields.EVENT_ACTION)).startsWith("auth."));
    }

    @Test
    void brokenEventsAreEmittedWithTheReasonAndForgottenFilesAreDropped()
            throws Exception
    {
        List<String> events = Corpus.events(Corpus.ACCOUNT_CREATION);
        Path file = data.resolve("broken.xml");
        String complete = events.get(0) + "\n\n" + events.get(1).replace("</System>", "</Sys>") + "\n\n";
        Files.writeString(file, complete + events.get(2).substring(0, 200));
        WinEventInputConfig config = new WinEventInputConfig(null, null, null, null, null, null, null, null, List.of(file), null);
        TestingComponentContext context = TestingComponentContext.builder(data.resolve("state"))
                .checkpoints(Map.of("file:/gone/old.xml", "123"))
                .build();
        CollectingEmitter emitter = new CollectingEmitter();
        factory.create(config, context).run(emitter);

        assertThat(emitter.events()).hasSize(3);
        assertThat(emitter.events().get(0).field(EventXmlMapper.ERROR_MESSAGE)).isNull();
        assertThat(emitter.events().get(1).fieldAsString(EventXmlMapper.ERROR_MESSAGE)).startsWith("event XML is not well-formed: ");
        assertThat(emitter.events().get(2).field(EventXmlMapper.ERROR_MESSAGE))
                .isEqualTo("the event at byte " + complete.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + " of " + file + " has no end (cut short or larger than 4194304 bytes)");
        assertThat(emitter.events().get(2).message()).isEqualTo(events.get(2).substring(0, 200));
        assertThat(context.metrics().counterValue("parse_errors_total")).isEqualTo(2);
        assertThat(emitter.committedCheckpoints()).containsOnlyKeys("file:" + file);
    }
}
