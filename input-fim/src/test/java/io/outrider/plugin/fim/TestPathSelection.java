package io.outrider.plugin.fim;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestPathSelection
{
    @Test
    void plainPathsSelectEverythingBelowThem()
    {
        PathSelection selection = PathSelection.of(List.of("/etc", "/etc/ssh"), List.of(), Optional.empty(), Optional.empty());
        assertThat(selection.roots()).containsExactly(Path.of("/etc"));
        assertThat(selection.selects(Path.of("/etc/a/b/c"))).isTrue();
        assertThat(selection.selects(Path.of("/etcetera"))).isFalse();
        assertThat(selection.descendsInto(Path.of("/etc/a/b"))).isTrue();
    }

    @Test
    void globsLimitDepthAndDoubleStarAlsoMatchesNoDirectory()
    {
        PathSelection selection = PathSelection.of(List.of("/usr/bin/*", "/etc/**/*.conf"), List.of(), Optional.empty(), Optional.empty());
        assertThat(selection.roots()).containsExactly(Path.of("/usr/bin"), Path.of("/etc"));
        assertThat(selection.selects(Path.of("/usr/bin/ls"))).isTrue();
        assertThat(selection.descendsInto(Path.of("/usr/bin"))).isTrue();
        // a directory the glob matches means everything below it, as a plain directory does
        assertThat(selection.selects(Path.of("/usr/bin/sub/ls"))).isTrue();
        assertThat(selection.descendsInto(Path.of("/usr/bin/sub"))).isTrue();
        assertThat(selection.descendsInto(Path.of("/usr/bin/sub/deeper"))).isTrue();
        assertThat(selection.selects(Path.of("/usr/bin/sub/deeper/x"))).isTrue();
        assertThat(selection.selects(Path.of("/etc/a.conf"))).isTrue();
        assertThat(selection.selects(Path.of("/etc/x/y/a.conf"))).isTrue();
        assertThat(selection.selects(Path.of("/etc/x/a.txt"))).isFalse();
    }

    /** A walkthrough's glob matched ten directories of 6,000 files, and nothing of them was monitored. */
    @Test
    void aDirectoryAGlobMatchesMeansEverythingBelowItAndOnlyThat()
    {
        PathSelection selection = PathSelection.of(List.of("/srv/tree/d2*", "/opt/*/conf/*.yaml"), List.of(), Optional.empty(), Optional.empty());
        assertThat(selection.descendsInto(Path.of("/srv/tree/d25"))).isTrue();
        assertThat(selection.selects(Path.of("/srv/tree/d25/f000.txt"))).isTrue();
        assertThat(selection.selects(Path.of("/srv/tree/d25/a/b/c.txt"))).isTrue();
        assertThat(selection.descendsInto(Path.of("/srv/tree/d3"))).isFalse();
        assertThat(selection.selects(Path.of("/srv/tree/d3/f000.txt"))).isFalse();
        assertThat(selection.selects(Path.of("/srv/tree/d2.txt"))).isTrue();
        // a directory on the way that the glob does not match as a whole is no match
        assertThat(selection.descendsInto(Path.of("/opt/app/conf"))).isTrue();
        assertThat(selection.selects(Path.of("/opt/app/conf/a.yaml"))).isTrue();
        assertThat(selection.selects(Path.of("/opt/app/conf/a.txt"))).isFalse();
        assertThat(selection.descendsInto(Path.of("/opt/app/conf/site.yaml"))).isTrue();
        assertThat(selection.selects(Path.of("/opt/app/conf/site.yaml/inner.txt"))).isTrue();
        assertThat(selection.selects(Path.of("/opt/app/other/a.yaml"))).isFalse();
    }

    @Test
    void anExcludedDirectoryExcludesEverythingBelowIt()
    {
        PathSelection selection = PathSelection.of(List.of("/etc"), List.of("/etc/ssl", "/etc/*.bak"), Optional.empty(), Optional.empty());
        assertThat(selection.descendsInto(Path.of("/etc/ssl"))).isFalse();
        assertThat(selection.selects(Path.of("/etc/ssl/certs/x.pem"))).isFalse();
        assertThat(selection.selects(Path.of("/etc/passwd.bak"))).isFalse();
        assertThat(selection.selects(Path.of("/etc/passwd"))).isTrue();
    }

    @Test
    void anExclusionWithoutASlashMatchesFileNamesAsInTheFileInput()
    {
        // the glob meaning is plugin-support's GlobPattern, shared with input-file; java.nio's glob matched nothing here
        PathSelection selection = PathSelection.of(List.of("/etc"), List.of("*.swp", "/etc/**/cache"), Optional.empty(), Optional.empty());

        assertThat(selection.selects(Path.of("/etc/ssh/.sshd_config.swp"))).isFalse();
        assertThat(selection.selects(Path.of("/etc/ssh/sshd_config"))).isTrue();
        assertThat(selection.isExcluded(Path.of("/etc/cache"))).as("** also matches no directory").isTrue();
        assertThat(selection.isExcluded(Path.of("/etc/a/b/cache"))).isTrue();
    }

    @Test
    void theAgentsFilesAreAddedAndRecognised()
    {
        PathSelection selection = PathSelection.of(List.of("/etc"), List.of(),
                Optional.of(Path.of("/opt/outrider/config/outrider.yaml")), Optional.of(Path.of("/opt/outrider/plugins")));
        assertThat(selection.roots()).containsExactly(Path.of("/etc"), Path.of("/opt/outrider/config/outrider.yaml"), Path.of("/opt/outrider/plugins"));
        assertThat(selection.selects(Path.of("/opt/outrider/config/outrider.yaml"))).isTrue();
        assertThat(selection.selects(Path.of("/opt/outrider/config/other.yaml"))).isFalse();
        assertThat(selection.isAgentFile(Path.of("/opt/outrider/plugins/x/x.jar"))).isTrue();
        assertThat(selection.isAgentFile(Path.of("/etc/passwd"))).isFalse();
        // the text form the scan counts with says the same, and a sibling that shares the name's start is not below
        assertThat(selection.isAgentFile("/opt/outrider/plugins/x/x.jar")).isTrue();
        assertThat(selection.isAgentFile("/opt/outrider/plugins")).isTrue();
        assertThat(selection.isAgentFile("/opt/outrider/config/outrider.yaml")).isTrue();
        assertThat(selection.isAgentFile("/opt/outrider/plugins-old/x.jar")).isFalse();
        assertThat(selection.isAgentFile("/etc/passwd")).isFalse();
    }
}
