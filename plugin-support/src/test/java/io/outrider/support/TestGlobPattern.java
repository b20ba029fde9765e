package io.outrider.support;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestGlobPattern
{
    @Test
    void doubleStarCrossesAndMayMatchNoDirectory()
    {
        GlobPattern glob = GlobPattern.compileAbsolute("/var/log/**/*.log");
        assertThat(glob.matches(Path.of("/var/log/a.log"))).isTrue();
        assertThat(glob.matches(Path.of("/var/log/x/y/a.log"))).isTrue();
        assertThat(glob.matches(Path.of("/var/log/a.log.1"))).isFalse();
        assertThat(glob.matches(Path.of("/var/lib/a.log"))).isFalse();
        assertThat(glob.baseDirectory()).isEqualTo(Path.of("/var/log"));
        assertThat(glob.maxDepth()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void singleStarAndQuestionMarkStayInTheirSegment()
    {
        GlobPattern glob = GlobPattern.compileAbsolute("/srv/*/app?.log");
        assertThat(glob.matches(Path.of("/srv/one/app1.log"))).isTrue();
        assertThat(glob.matches(Path.of("/srv/one/two/app1.log"))).isFalse();
        assertThat(glob.matches(Path.of("/srv/one/app12.log"))).isFalse();
        assertThat(glob.baseDirectory()).isEqualTo(Path.of("/srv"));
        assertThat(glob.maxDepth()).isEqualTo(2);
    }

    @Test
    void classesAlternativesAndEscapes()
    {
        GlobPattern glob = GlobPattern.compileAbsolute("/d/[!0-9]x.{log,txt}");
        assertThat(glob.matches(Path.of("/d/ax.log"))).isTrue();
        assertThat(glob.matches(Path.of("/d/bx.txt"))).isTrue();
        assertThat(glob.matches(Path.of("/d/1x.log"))).isFalse();
        assertThat(glob.matches(Path.of("/d/ax.csv"))).isFalse();
        GlobPattern literal = GlobPattern.compileAbsolute("/d/a\\*b (1).log");
        assertThat(literal.matches(Path.of("/d/a*b (1).log"))).isTrue();
        assertThat(literal.matches(Path.of("/d/axb (1).log"))).isFalse();
        assertThat(literal.baseDirectory()).isEqualTo(Path.of("/d"));
        assertThat(literal.maxDepth()).isEqualTo(1);
    }

    @Test
    void exclusionsWithoutSlashMatchFileNames()
    {
        Pattern byName = GlobPattern.compileExclusion("*.gz");
        assertThat(GlobPattern.excludes(byName, "*.gz", Path.of("/var/log/x/a.log.1.gz"))).isTrue();
        assertThat(GlobPattern.excludes(byName, "*.gz", Path.of("/var/log/a.log"))).isFalse();
        Pattern byPath = GlobPattern.compileExclusion("/var/log/private/**");
        assertThat(GlobPattern.excludes(byPath, "/var/log/private/**", Path.of("/var/log/private/a/b.log"))).isTrue();
        assertThat(GlobPattern.excludes(byPath, "/var/log/private/**", Path.of("/var/log/b.log"))).isFalse();
    }

    @Test
    void reportsMalformedGlobs()
    {
        assertThatThrownBy(() -> GlobPattern.compileAbsolute("/a/{b,{c}}")).hasMessage("'/a/{b,{c}}' nests { } groups");
        assertThatThrownBy(() -> GlobPattern.compileAbsolute("/a/b}")).hasMessage("'/a/b}' has a } without {");
        assertThatThrownBy(() -> GlobPattern.compileAbsolute("/a/b\\")).hasMessage("'/a/b\\' ends with an escape character");
    }
}
