package io.outrider.config;

import io.outrider.spi.DataSize;
import io.outrider.spi.config.Required;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.Node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRecordBinder
{
    public enum Level
    {
        LOW, VERY_HIGH
    }

    public record Inner(@Required Integer port, Duration timeout)
    {
    }

    public record Outer(@Required String name, DataSize size, Level level, boolean enabled, List<Inner> targets, Map<String, String> labels, Path file, Set<String> tags)
    {
    }

    public record Checked(Integer count)
    {
        public Checked
        {
            if (count != null && count < 0) {
                throw new IllegalArgumentException("count must not be negative, not " + count);
            }
        }
    }

    public record Careless(String zone)
    {
        public Careless
        {
            zone = zone.trim();
        }
    }

    private final ConfigProblems problems = new ConfigProblems();
    private final RecordBinder binder = new RecordBinder("test.yaml", problems, new Substitution(Map.of("PORT", "8443"), Path.of("/")), Secrets.NONE);

    @Test
    void bindsEveryDocumentedType()
            throws Exception
    {
        Outer outer = bind(Outer.class, """
                name: edge
                size: 512KiB
                level: very-high
                enabled: on
                targets:
                  - port: ${PORT}
                    timeout: 1.5m
                labels: {site: paris}
                file: /var/log/x.log
                tags: [a, b, a]
                """);

        assertThat(outer).isEqualTo(new Outer("edge", DataSize.ofBytes(512 * 1024), Level.VERY_HIGH, true, List.of(new Inner(8443, Duration.ofSeconds(90))),
                Map.of("site", "paris"), Path.of("/var/log/x.log"), Set.of("a", "b")));
        problems.throwIfAny();
    }

    @Test
    void collectsEveryProblemInFileOrder()
    {
        Outer outer = bind(Outer.class, """
                nmae: edge
                size: huge
                level: medium
                targets:
                  - timeout: 5s
                  -
                """);

        assertThat(outer).isNull();
        assertThatThrownBy(problems::throwIfAny)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("""
                        Configuration has 6 errors:

                        1) test.yaml:1:1: nmae: unknown property 'nmae' for the test record; did you mean 'name'?
                        2) test.yaml:1:1: name: missing required property 'name' for the test record
                        3) test.yaml:2:7: size: expected a size such as 1048576, 512KiB or 64MiB but found 'huge' ('huge' is not a size: use bytes or a number with B, KB, MB, GB, KiB, MiB or GiB)
                        4) test.yaml:3:8: level: expected one of low, very_high but found 'medium'
                        5) test.yaml:5:5: targets[0].port: missing required property 'port' for the test record
                        6) test.yaml:6:4: targets[1]: list element is empty""");
    }

    @Test
    void aMisspeltEnumValueIsNamedWithTheValueItMayHaveMeant()
    {
        assertThat(bind(Outer.class, "name: edge\nlevel: lwo\n")).isNull();
        assertThat(bind(Outer.class, "name: edge\nlevel: very-hihg\n")).isNull();

        assertThat(problems.sorted()).extracting(ConfigProblem::describe).containsExactly(
                "test.yaml:2:8: level: expected one of low, very_high but found 'lwo'; did you mean 'low'?",
                "test.yaml:2:8: level: expected one of low, very_high but found 'very-hihg'; did you mean 'very_high'?");
    }

    @Test
    void reportsAWholeNumberTooLargeForItsTypeInsteadOfFailing()
    {
        assertThat(bind(Checked.class, "\ncount: 99_999_999_999\n")).isNull();

        assertThat(problems.sorted()).extracting(ConfigProblem::describe)
                .containsExactly("test.yaml:2:8: checked.count: expected a whole number but found '99_999_999_999' (more than 2147483647)");
    }

    @Test
    void reportsAConstructorsRefusalAtTheRecordsNode()
    {
        assertThat(bind(Checked.class, "\ncount: -2\n")).isNull();

        assertThat(problems.sorted()).extracting(ConfigProblem::describe)
                .containsExactly("test.yaml:2:1: checked: count must not be negative, not -2");
    }

    /** A plugin author's record trimmed an optional value without a null check: validate blamed the configuration. */
    @Test
    void aConstructorFailingOtherwiseThanByRefusingAValueIsNamedAPluginBug()
    {
        assertThat(bind(Careless.class, "\nzone: ~\n")).isNull();

        assertThat(problems.sorted()).extracting(ConfigProblem::describe).anySatisfy(problem -> assertThat(problem).startsWith("test.yaml:2:1:"
                + " the configuration record Careless failed on these settings, a bug in its plugin rather than in the configuration: NullPointerException: "));
    }

    @Test
    void runsConstructorsWithTheRecordsLoaderAndRestoresTheCallers()
    {
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        ClassLoader callers = new ClassLoader(null) {};
        Thread.currentThread().setContextClassLoader(callers);
        try {
            assertThat(bind(Checked.class, "count: 1")).isEqualTo(new Checked(1));
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(callers);
        }
        finally {
            Thread.currentThread().setContextClassLoader(original);
        }
    }

    private <T extends Record> T bind(Class<T> type, String yaml)
    {
        Node node = ConfigYaml.compose("test.yaml", yaml, problems).orElseThrow();
        String path = type == Checked.class ? "checked" : "";
        return binder.bind(type, node, path, node, new RecordBinder.Target("the test record", Set.of(), Set.of()));
    }
}
