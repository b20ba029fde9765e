package io.outrider.plugin.fim;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TestChangeWatcher
{
    /**
     * "raise fs.inotify.max_user_watches" was the advice for a directory the agent may not read (run as nobody), which
     * rescans cannot read either. As root a real refusal cannot be had here: the JDK's exceptions are made as it makes them.
     */
    @Test
    void aWatchRefusedForPermissionsIsNotBlamedOnTheWatchLimit()
    {
        Path locked = Path.of("/srv/tree/locked");
        assertThat(ChangeWatcher.registrationFailure(locked, new AccessDeniedException(locked.toString())))
                .isEqualTo("cannot watch /srv/tree/locked (permission denied): the agent may not read it, so neither notifications nor rescans see into it"
                        + " (its error event says so at every scan); run the agent as a user that may read it");
        IOException limit = new FileSystemException(locked.toString(), null, "User limit of inotify watches reached");
        assertThat(ChangeWatcher.registrationFailure(locked, limit))
                .isEqualTo("cannot watch /srv/tree/locked (User limit of inotify watches reached): changes there are found by rescans only"
                        + " (raise fs.inotify.max_user_watches if the limit of inotify watches is reached)");
    }
}
