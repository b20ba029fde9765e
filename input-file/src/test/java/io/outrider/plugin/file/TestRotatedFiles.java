package io.outrider.plugin.file;

import io.outrider.plugin.file.FilePositions.SavedPosition;
import io.outrider.plugin.file.RotatedFiles.RotatedName;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;
import io.outrider.support.GlobPattern;
import io.outrider.support.LineEncoding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The rotation decisions about files beside a watched name, on real files. */
class TestRotatedFiles
{
    private static final Instant KNOWN_SINCE = Instant.parse("2026-01-01T00:00:00Z");
    private static final FileTime BEFORE = FileTime.from(KNOWN_SINCE.minusSeconds(3600));
    private static final FileTime AFTER = FileTime.from(KNOWN_SINCE.plusSeconds(3600));

    @TempDir
    Path directory;
    @TempDir
    Path dataDirectory;

    private final CollectingEmitter emitter = new CollectingEmitter();
    private Batch batch;
    private FileRegistry registry;
    private RotatedFiles rotatedFiles;

    @BeforeEach
    void setUp()
    {
        TestingComponentContext context = TestingComponentContext.builder(dataDirectory).build();
        FileInputConfig config = ConfigBuilder.files(directory + "/*.log").build();
        FileInputMetrics metrics = new FileInputMetrics(context.metrics());
        batch = new Batch(emitter, 1000, 1 << 20);
        EventAssembler assembler = new EventAssembler(config, context, LineEncoding.forName("UTF-8"), null, null, metrics, batch);
        registry = new FileRegistry(context, 100, metrics, assembler, batch);
        FileScanner scanner = new FileScanner(List.of(GlobPattern.compileAbsolute(directory + "/*.log")), List.of());
        rotatedFiles = new RotatedFiles(context, scanner, registry, assembler, batch);
    }

    @AfterEach
    void closeFiles()
    {
        registry.closeAll();
    }

    @Test
    void tellsRotatedNames()
    {
        Map<String, Optional<RotatedName>> cases = new LinkedHashMap<>();
        cases.put("app.log.1", Optional.of(new RotatedName("app.log", null)));
        cases.put("app.log.0", Optional.of(new RotatedName("app.log", null)));
        cases.put("app.log.12", Optional.of(new RotatedName("app.log", null)));
        cases.put("app.log-20260101", Optional.of(new RotatedName("app.log", null)));
        cases.put("app.log.2026-01-01", Optional.of(new RotatedName("app.log", null)));
        cases.put("app.log-2026_01_01", Optional.of(new RotatedName("app.log", null)));
        cases.put("app.log.1.gz", Optional.of(new RotatedName("app.log", "gz")));
        cases.put("app.log-20260101.xz", Optional.of(new RotatedName("app.log", "xz")));
        cases.put("app.log.2.bz2", Optional.of(new RotatedName("app.log", "bz2")));
        cases.put("app.log.3.zst", Optional.of(new RotatedName("app.log", "zst")));
        cases.put("syslog.1", Optional.of(new RotatedName("syslog", null)));
        cases.put("app.log", Optional.empty());
        cases.put("app.log.gz", Optional.empty());
        cases.put("app.log.old", Optional.empty());
        cases.put("app-1.log", Optional.empty());
        cases.put("app.log.1.tmp", Optional.empty());
        cases.put(".1", Optional.empty());
        cases.forEach((name, expected) -> assertThat(RotatedFiles.parseName(name)).as(name).isEqualTo(expected));
    }

    @Test
    void listsRotatedSiblingsMostRecentFirst()
            throws IOException
    {
        Path watched = write("app.log", "current\n", AFTER);
        write("app.log.1", "one\n", FileTime.from(KNOWN_SINCE.plusSeconds(30)));
        write("app.log.2.gz", "two\n", FileTime.from(KNOWN_SINCE.plusSeconds(20)));
        write("app.log-20251231", "dated\n", FileTime.from(KNOWN_SINCE.plusSeconds(10)));
        write("other.log.1", "other\n", AFTER);
        write("app.log.old", "old\n", AFTER);
        Files.createDirectory(directory.resolve("app.log.9"));

        assertThat(rotatedFiles.rotatedSiblings(watched))
                .extracting(sibling -> sibling.path().getFileName().toString(), RotatedFiles.Sibling::compression)
                .containsExactly(tuple("app.log.1", null), tuple("app.log.2.gz", "gz"), tuple("app.log-20251231", null));
    }

    @Test
    void readsOnlyRotatedFilesNeverRead()
            throws IOException
    {
        write("app.log", "current\n", AFTER);
        Path read = write("read.txt", "a line that was read before\n", AFTER);
        FileIdentity readIdentity = identity(read);
        // the cases, each beside the watched name app.log
        write("app.log.1", "never read\n", AFTER);
        write("app.log.2", "modified before positions of rotated files were kept\n", BEFORE);
        write("app.log.3.gz", "compressed\n", AFTER);
        write("app.log.4", "", AFTER);
        write("app.log.5", "a line that was read before\n", AFTER);
        write("unwatched.txt.1", "another watched name's\n", AFTER);
        rotatedFiles.setKnownSince(KNOWN_SINCE.toEpochMilli());

        rotatedFiles.lookBeside(directory, Set.of("app.log"), List.of(readIdentity));

        assertThat(registry.files()).hasSize(1);
        TrackedFile adopted = registry.files().iterator().next();
        assertThat(adopted.openPath).isEqualTo(directory.resolve("app.log.1"));
        assertThat(adopted.path).isEqualTo(directory.resolve("app.log"));
        assertThat(adopted.orphaned).isTrue();
        assertThat(adopted.needsCheck).isTrue();
        assertThat(adopted.offset()).isZero();
        assertThat(adopted.isOpen()).isTrue();
    }

    @Test
    void readsNoRotatedFileWhenNothingTellsWhichWereRead()
            throws IOException
    {
        write("app.log", "current\n", AFTER);
        write("app.log.1", "maybe read, maybe not\n", AFTER);

        rotatedFiles.lookBeside(directory, Set.of("app.log"), List.of());

        assertThat(registry.files()).isEmpty();
    }

    @Test
    void findsAFileRenamedBesideItsOldNameByInode()
            throws IOException
    {
        Path log = write("app.log", "first\nsecond\n", AFTER);
        FileIdentity identity = identity(log);
        Files.move(log, directory.resolve("app.log.1"));

        TrackedFile found = rotatedFiles.findBeside(log, identity, 6, 4, new HashMap<>());

        assertThat(found).isNotNull();
        assertThat(found.openPath).isEqualTo(directory.resolve("app.log.1"));
        assertThat(found.path).isEqualTo(log);
        assertThat(found.key()).isEqualTo(identity.key());
        assertThat(found.offset()).isEqualTo(6);
        assertThat(found.sequence).isEqualTo(4);
        assertThat(found.orphaned).isTrue();
    }

    @Test
    void readsAFileRewrittenBeforeItWasRotatedFromTheStartOnlyUnderAContinuingName()
            throws IOException
    {
        Path log = write("app.log", "first\nsecond\n", AFTER);
        FileIdentity identity = identity(log);
        Files.writeString(log, "rewritten\n");
        Files.move(log, directory.resolve("app.log.1"));

        TrackedFile found = rotatedFiles.findBeside(log, identity, 13, 1, new HashMap<>());

        assertThat(found).isNotNull();
        assertThat(found.offset()).isZero();
        assertThat(found.key()).isNotEqualTo(identity.key()).isEqualTo(identity(directory.resolve("app.log.1")).key());

        // the same inode with other first bytes under an unrelated name may be another file that reused it
        Path other = write("b.log", "first\nsecond\n", AFTER);
        FileIdentity otherIdentity = identity(other);
        Files.writeString(other, "something else\n");
        Files.move(other, directory.resolve("unrelated.txt"));
        assertThat(rotatedFiles.findBeside(other, otherIdentity, 13, 2, new HashMap<>())).isNull();
    }

    @Test
    void takesAnEmptyFilesInodeForItOnlyUnderAContinuingName()
            throws IOException
    {
        Path log = write("app.log", "", AFTER);
        FileIdentity identity = identity(log);
        assertThat(identity.fingerprintLength()).isZero();
        Files.move(log, directory.resolve("elsewhere.txt"));
        assertThat(rotatedFiles.findBeside(log, identity, 0, 1, new HashMap<>())).isNull();

        Files.move(directory.resolve("elsewhere.txt"), directory.resolve("app.log.1"));
        assertThat(rotatedFiles.findBeside(log, identity, 0, 1, new HashMap<>())).isNotNull();
    }

    @Test
    void leavesFilesTheGlobsMatchToTheScan()
            throws IOException
    {
        Path log = write("app.log", "first\n", AFTER);
        FileIdentity identity = identity(log);
        Files.move(log, directory.resolve("renamed.log"));

        assertThat(rotatedFiles.findBeside(log, identity, 0, 1, new HashMap<>())).isNull();
    }

    @Test
    void adoptsACopyThatStartsAlikeAndReachesThePosition()
            throws IOException
    {
        String head = "x".repeat(FileIdentity.FINGERPRINT_BYTES) + "\n";
        Path log = write("app.log", head + "more\n", AFTER);
        FileIdentity identity = identity(log);
        SavedPosition position = new SavedPosition(identity.key(), "", identity, head.length() + 5, 3, log);
        write("app.log.1", head, AFTER);
        write("app.log.2", head + "more\nand more\n", AFTER);
        write("app.log.3", "y".repeat(FileIdentity.FINGERPRINT_BYTES) + "\nmore\nand more\n", AFTER);

        List<RotatedFiles.Sibling> siblings = rotatedFiles.rotatedSiblings(log);
        Map<String, Boolean> adopted = new LinkedHashMap<>();
        for (RotatedFiles.Sibling sibling : siblings) {
            adopted.put(sibling.path().getFileName().toString(), rotatedFiles.adoptCopy(position, sibling));
        }
        // too short to reach the position; a copy; starts differently
        assertThat(adopted).containsEntry("app.log.1", false).containsEntry("app.log.2", true).containsEntry("app.log.3", false);
        // the original itself is no copy of itself
        assertThat(rotatedFiles.adoptCopy(position, new RotatedFiles.Sibling(log, FileStat.of(log), null))).isFalse();
        TrackedFile copy = registry.byFileKey(FileStat.of(directory.resolve("app.log.2")).fileKey());
        assertThat(copy.offset()).isEqualTo(head.length() + 5);
        assertThat(copy.path).isEqualTo(log);
        assertThat(copy.sequence).isEqualTo(3);
    }

    @Test
    void measuresWhatAGzipCopyHolds()
            throws IOException
    {
        Path log = write("app.log", "first\nsecond\n", AFTER);
        FileIdentity identity = identity(log);
        Path gzip = directory.resolve("app.log.1.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write("first\nsecond\nthird\n".getBytes(StandardCharsets.UTF_8));
        }
        Path otherGzip = directory.resolve("app.log.2.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(otherGzip))) {
            out.write("another file\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(directory.resolve("app.log.3.gz"), "not gzip at all");

        assertThat(rotatedFiles.uncompressedSizeIfCopy(gzip, identity)).isEqualTo(OptionalLong.of(19));
        assertThat(rotatedFiles.uncompressedSizeIfCopy(otherGzip, identity)).isEmpty();
        assertThat(rotatedFiles.uncompressedSizeIfCopy(directory.resolve("app.log.3.gz"), identity)).isEmpty();
    }

    private Path write(String name, String content, FileTime modified)
            throws IOException
    {
        Path path = directory.resolve(name);
        Files.writeString(path, content);
        Files.setLastModifiedTime(path, modified);
        return path;
    }

    private static FileIdentity identity(Path path)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(path)) {
            FileStat stat = FileStat.of(path);
            return FileIdentity.of(stat.fileKey(), channel, stat.size());
        }
    }
}
