package io.outrider.plugin.file;

import io.outrider.plugin.file.FilePositions.SavedPosition;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestFilePositions
{
    private static final FileIdentity IDENTITY = new FileIdentity(2049, 131, 256, 0x0123456789abcdefL);
    private static final String KEY = IDENTITY.key();

    @Test
    void readsWhatItWrites()
    {
        String value = FilePositions.format(12345, 7, "/var/log/auth.log");
        assertThat(value).isEqualTo("12345 #7 /var/log/auth.log");
        assertThat(FilePositions.parse(KEY, value))
                .contains(new SavedPosition(KEY, value, IDENTITY, 12345, 7, Path.of("/var/log/auth.log")));
    }

    @Test
    void readsPathsWithSpaces()
    {
        String value = FilePositions.format(0, 1, "/srv/my app/app log.txt");
        assertThat(FilePositions.parse(KEY, value).map(SavedPosition::path)).contains(Path.of("/srv/my app/app log.txt"));
    }

    @Test
    void readsPositionsSavedBeforeSequencesAndPaths()
    {
        // older releases saved "offset path", and before that "offset" alone
        assertThat(FilePositions.parse(KEY, "12 /var/log/auth.log"))
                .contains(new SavedPosition(KEY, "12 /var/log/auth.log", IDENTITY, 12, 0, Path.of("/var/log/auth.log")));
        assertThat(FilePositions.parse(KEY, "12")).contains(new SavedPosition(KEY, "12", IDENTITY, 12, 0, null));
        assertThat(FilePositions.parse(KEY, "12 #3")).contains(new SavedPosition(KEY, "12 #3", IDENTITY, 12, 3, null));
    }

    @Test
    void rejectsWhatItNeverWrote()
    {
        assertThat(FilePositions.parse(KEY, "")).isEmpty();
        assertThat(FilePositions.parse(KEY, "-1 #1 /a.log")).isEmpty();
        assertThat(FilePositions.parse(KEY, "12 #-1 /a.log")).isEmpty();
        assertThat(FilePositions.parse(KEY, "12 #x /a.log")).isEmpty();
        assertThat(FilePositions.parse(KEY, "twelve /a.log")).isEmpty();
        assertThat(FilePositions.parse(KEY, "12 #1 \0")).isEmpty();
        assertThat(FilePositions.parse("2049:131:256", "12 #1 /a.log")).isEmpty();
        assertThat(FilePositions.parse("2049:131:257:0123456789abcdef", "12 #1 /a.log")).isEmpty();
        assertThat(FilePositions.parse(FilePositions.STARTED_KEY, "2026-01-01T00:00:00Z")).isEqualTo(Optional.empty());
    }

    @Test
    void tellsInputKeysFromFilePositions()
    {
        assertThat(FilePositions.isInputKey(FilePositions.STARTED_KEY)).isTrue();
        assertThat(FilePositions.isInputKey(FilePositions.SIBLINGS_KEY)).isTrue();
        assertThat(FilePositions.isInputKey(KEY)).isFalse();
        assertThat(FilePositions.STARTED_KEY).isEqualTo("started");
        assertThat(FilePositions.SIBLINGS_KEY).isEqualTo("rotated_files_known_since");
    }
}
