package io.outrider.plugin.winevent;

import io.outrider.support.testing.SharedCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestEventXmlSplitter
{
    @TempDir
    Path directory;

    @Test
    void fixtureFilesSplitIntoTheirEventsWithExactOffsets()
            throws IOException
    {
        for (String name : Corpus.FIXTURE_FILES) {
            assertSplitsWithExactOffsets(Corpus.fixture(name));
        }
    }

    @Test
    void sharedCorpusFileSplitsIntoItsEventsWithExactOffsets()
            throws IOException
    {
        assertSplitsWithExactOffsets(SharedCorpus.winevent("security.xml"));
    }

    @Test
    void resumesAtAnEventBoundary()
            throws IOException
    {
        Path file = Corpus.fixture(Corpus.SECURITY);
        List<EventXmlSplitter.Chunk> all = readAll(file, 0);
        assertThat(all).hasSize(15);
        List<EventXmlSplitter.Chunk> rest = readAll(file, all.get(5).endOffset());
        assertThat(rest).containsExactlyElementsOf(all.subList(6, all.size()));
    }

    @Test
    void resumesAtAnEventBoundaryOfTheSharedCorpus()
            throws IOException
    {
        Path file = SharedCorpus.winevent("system.xml");
        List<EventXmlSplitter.Chunk> all = readAll(file, 0);
        List<EventXmlSplitter.Chunk> rest = readAll(file, all.get(999).endOffset());
        assertThat(rest).containsExactlyElementsOf(all.subList(1000, all.size()));
    }

    private static void assertSplitsWithExactOffsets(Path file)
            throws IOException
    {
        byte[] bytes = Files.readAllBytes(file);
        List<EventXmlSplitter.Chunk> chunks = readAll(file, 0);
        assertThat(chunks).extracting(EventXmlSplitter.Chunk::xml).containsExactlyElementsOf(Corpus.events(file));
        for (EventXmlSplitter.Chunk chunk : chunks) {
            assertThat(chunk.complete()).isTrue();
            assertThat(new String(bytes, (int) chunk.startOffset(), (int) (chunk.endOffset() - chunk.startOffset()), StandardCharsets.UTF_8)).isEqualTo(chunk.xml());
        }
    }

    @Test
    void wevtutilOutputWithoutSeparatorsAndUtf16WithByteOrderMark()
            throws IOException
    {
        List<String> events = Corpus.events(Corpus.ACCOUNT_CREATION).stream().map(xml -> xml.replace("\n", "").replace("  ", "")).toList();
        String joined = "<?xml version=\"1.0\"?>" + String.join("", events) + "\r\n";

        Path utf8 = directory.resolve("wevtutil.xml");
        Files.writeString(utf8, joined, StandardCharsets.UTF_8);
        assertThat(readAll(utf8, 0)).extracting(EventXmlSplitter.Chunk::xml).containsExactlyElementsOf(events);

        Path utf16 = directory.resolve("powershell.xml");
        byte[] body = joined.getBytes(StandardCharsets.UTF_16LE);
        byte[] withBom = new byte[body.length + 2];
        withBom[0] = (byte) 0xFF;
        withBom[1] = (byte) 0xFE;
        System.arraycopy(body, 0, withBom, 2, body.length);
        Files.write(utf16, withBom);
        List<EventXmlSplitter.Chunk> chunks = readAll(utf16, 0);
        assertThat(chunks).extracting(EventXmlSplitter.Chunk::xml).containsExactlyElementsOf(events);
        assertThat(readAll(utf16, chunks.get(1).endOffset())).extracting(EventXmlSplitter.Chunk::xml).containsExactlyElementsOf(events.subList(2, events.size()));
    }

    @Test
    void eventsCutShortAreReturnedIncomplete()
            throws IOException
    {
        List<String> events = Corpus.events(Corpus.ACCOUNT_CREATION);
        String cut = events.get(1).substring(0, 300);
        Path file = directory.resolve("cut.xml");
        Files.writeString(file, events.get(0) + "\n\n" + cut + "\n\n" + events.get(2) + "\n\n" + events.get(3).substring(0, 100));
        List<EventXmlSplitter.Chunk> chunks = readAll(file, 0);
        assertThat(chunks).extracting(EventXmlSplitter.Chunk::complete).containsExactly(true, false, true, false);
        assertThat(chunks.get(0).xml()).isEqualTo(events.get(0));
        assertThat(chunks.get(1).xml()).isEqualTo(cut + "\n\n");
        assertThat(chunks.get(2).xml()).isEqualTo(events.get(2));
        assertThat(chunks.get(3).xml()).isEqualTo(events.get(3).substring(0, 100));
    }

    @Test
    void oversizedEventIsCutAtTheLimit()
            throws IOException
    {
        String event = Corpus.events(Corpus.ACCOUNT_CREATION).get(0);
        String huge = event.replace("</EventData>", "<Data Name='Big'>" + "x".repeat(10_000) + "</Data></EventData>");
        Path file = directory.resolve("huge.xml");
        Files.writeString(file, huge + "\n" + event);
        List<EventXmlSplitter.Chunk> chunks = new ArrayList<>();
        try (EventXmlSplitter splitter = new EventXmlSplitter(file, 0, 4096)) {
            for (Optional<EventXmlSplitter.Chunk> chunk = splitter.next(); chunk.isPresent(); chunk = splitter.next()) {
                chunks.add(chunk.get());
            }
        }
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0).complete()).isFalse();
        assertThat(chunks.get(0).xml()).hasSize(4096);
        assertThat(chunks.get(1).xml()).isEqualTo(event);
    }

    private static List<EventXmlSplitter.Chunk> readAll(Path file, long offset)
            throws IOException
    {
        List<EventXmlSplitter.Chunk> chunks = new ArrayList<>();
        try (EventXmlSplitter splitter = new EventXmlSplitter(file, offset, XmlFileImportInput.MAX_EVENT_BYTES)) {
            for (Optional<EventXmlSplitter.Chunk> chunk = splitter.next(); chunk.isPresent(); chunk = splitter.next()) {
                chunks.add(chunk.get());
            }
        }
        return chunks;
    }
}
