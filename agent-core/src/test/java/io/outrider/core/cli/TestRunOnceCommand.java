package io.outrider.core.cli;

import io.outrider.core.plugin.PluginJars;
import io.outrider.core.storage.DataDirectoryLock;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code outrider run-once} and the deprecated {@code outrider fim} alias in real child JVMs, over a plugin built at
 * test time whose {@code poll} input works in rounds: each run lists a directory and, once it has a checkpoint,
 * reports the names that are new, then ends the round with {@code outrider.round_complete} and its counts. Nothing in
 * core knows that type; the real file integrity input is covered by the integration tests.
 */
class TestRunOnceCommand
{
    private static final String ROUNDS_PLUGIN = """
            package example.rounds;

            import io.outrider.spi.*;
            import java.nio.file.*;
            import java.util.*;
            import java.util.stream.*;

            public final class RoundsPlugin implements Plugin {
                public record PollConfig(String dir, Boolean complete) {
                    public PollConfig { complete = complete == null ? Boolean.TRUE : complete; }
                }
                public record MarkConfig() {}

                @Override
                public List<InputFactory<?>> inputFactories() {
                    return List.of(new InputFactory<PollConfig>() {
                        public String type() { return "poll"; }
                        public Class<PollConfig> configClass() { return PollConfig.class; }
                        public boolean worksInRounds() { return true; }
                        public Input create(PollConfig config, ComponentContext context) { return new PollInput(config, context); }
                    });
                }

                @Override
                public List<ParserFactory<?>> parserFactories() {
                    return List.of(new ParserFactory<MarkConfig>() {
                        public String type() { return "mark"; }
                        public Class<MarkConfig> configClass() { return MarkConfig.class; }
                        public Parser create(MarkConfig config, ComponentContext context) {
                            return event -> ParseResult.matched(event.toBuilder().field("marked", "yes").build());
                        }
                    });
                }

                static final class PollInput implements Input {
                    private final PollConfig config;
                    private final ComponentContext context;
                    private volatile boolean closed;

                    PollInput(PollConfig config, ComponentContext context) { this.config = config; this.context = context; }

                    public void run(Emitter emitter) throws Exception {
                        List<String> names;
                        try (Stream<Path> files = Files.list(Path.of(config.dir()))) {
                            names = files.map(path -> path.getFileName().toString()).sorted().toList();
                        }
                        String seen = context.checkpoints().get("seen");
                        List<Event> created = new ArrayList<>();
                        if (seen != null) {
                            Set<String> known = new HashSet<>(Arrays.asList(seen.split("/")));
                            for (String name : names) {
                                if (!known.contains(name)) {
                                    created.add(Event.builder().timestamp(context.clock().instant()).field(Fields.EVENT_ACTION, "created")
                                            .field(Fields.FILE_PATH, config.dir() + "/" + name).message("created " + name).build());
                                }
                            }
                        }
                        emitter.emit(created, List.of());
                        if (config.complete()) {
                            emitter.emit(List.of(Event.builder().timestamp(context.clock().instant()).field(Fields.EVENT_ACTION, "polled")
                                    .field(Fields.OUTRIDER_ROUND_COMPLETE, true).field("poll.round.reason", seen == null ? "first" : "again")
                                    .field("poll.round.files", (long) names.size()).field("poll.round.created", (long) created.size())
                                    .message("polled").build()), Checkpoint.of("seen", String.join("/", names)));
                        }
                        synchronized (this) {
                            while (!closed) { wait(50); }
                        }
                    }

                    public void close() {
                        closed = true;
                        synchronized (this) { notifyAll(); }
                    }
                }
            }
            """;

    private static Path plugins(Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("rounds").resolve("rounds.jar"), Map.of("example.rounds.RoundsPlugin", ROUNDS_PLUGIN), "example.rounds.RoundsPlugin", SpiVersion.CURRENT);
        PluginJars.build(plugins.resolve("counter").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin", SpiVersion.CURRENT);
        return plugins;
    }

    private static Path config(Path dir, Path watched, String pollOptions)
            throws Exception
    {
        return Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  watch:
                    inputs:
                      items: { type: poll, dir: "%s"%s }
                    parsers: { marked: { type: mark } }
                    outputs: { out: { type: console } }
                  numbers:
                    inputs: { count: { type: counter, count: 3 } }
                    outputs: { out: { type: console } }
                """.formatted(plugins(dir), dir.resolve("data"), watched, pollOptions));
    }

    @Test
    void runOnceCommitsOneRoundThroughTheParsersPrintsItAndExitCodeSaysWhetherItEmittedEvents(@TempDir Path dir)
            throws Exception
    {
        Path watched = Files.createDirectories(dir.resolve("watched"));
        Files.writeString(watched.resolve("a"), "a");
        Files.writeString(watched.resolve("b"), "b");
        Path config = config(dir, watched, "");

        AgentProcess.Result first = AgentProcess.run(dir, Map.of(), "run-once", "--exit-code", "-c", config.toString());
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).isEqualTo("""
                watch.items — round complete, 0 events
                  poll.round.files    2
                  poll.round.created  0
                """);
        assertThat(first.stderr()).isEmpty();

        Files.writeString(watched.resolve("c"), "c");
        AgentProcess.Result second = AgentProcess.run(dir, Map.of(), "run-once", "--exit-code", "-c", config.toString());
        assertThat(second.exitCode()).as(second.stderr()).isEqualTo(1);
        assertThat(second.stdout()).isEqualTo("""
                watch.items — round complete, 1 event
                  created             %s/c
                  poll.round.files    3
                  poll.round.created  1
                """.formatted(watched));

        // committed like the agent commits: through the pipeline's parser, for the outputs to deliver
        AgentProcess.Result buffered = AgentProcess.run(dir, Map.of(), "buffer", "inspect", "--data-dir", dir.resolve("data").toString());
        assertThat(buffered.stdout()).contains("\"file.path\":\"" + watched.resolve("c") + "\"", "\"marked\":\"yes\"");

        // the round's checkpoints moved on: nothing new, and without --exit-code events never make it fail
        AgentProcess.Result third = AgentProcess.run(dir, Map.of(), "run-once", "--input", "watch.items", "-c", config.toString());
        assertThat(third.exitCode()).as(third.stderr()).isZero();
        assertThat(third.stdout()).isEqualTo("""
                watch.items — round complete, 0 events
                  poll.round.files    3
                  poll.round.created  0
                """);
    }

    /** A walkthrough made a file whose name holds a line feed and what reads like another line of the list. */
    @Test
    void aNameCannotForgeALineOfTheList(@TempDir Path dir)
            throws Exception
    {
        Path watched = Files.createDirectories(dir.resolve("watched"));
        Path config = config(dir, watched, "");
        assertThat(AgentProcess.run(dir, Map.of(), "run-once", "-c", config.toString()).exitCode()).isZero();
        Files.writeString(watched.resolve("x\n  deleted             FAKE-etc-shadow"), "x");

        AgentProcess.Result round = AgentProcess.run(dir, Map.of(), "run-once", "-c", config.toString());

        assertThat(round.exitCode()).as(round.stderr()).isZero();
        assertThat(round.stdout()).isEqualTo("""
                watch.items — round complete, 1 event
                  created             %s/x\\n  deleted             FAKE-etc-shadow
                  poll.round.files    1
                  poll.round.created  1
                """.formatted(watched));
    }

    @Test
    void anInputThatDoesNotWorkInRoundsOrDoesNotExistIsRefusedWithTheReason(@TempDir Path dir)
            throws Exception
    {
        Path config = config(dir, Files.createDirectories(dir.resolve("watched")), "");

        AgentProcess.Result counter = AgentProcess.run(dir, Map.of(), "run-once", "--input", "numbers.count", "-c", config.toString());
        assertThat(counter.exitCode()).isEqualTo(2);
        assertThat(counter.stderr()).isEqualTo("input numbers.count does not work in rounds; run-once runs inputs that do, such as poll\n");
        assertThat(counter.stdout()).isEmpty();

        AgentProcess.Result missing = AgentProcess.run(dir, Map.of(), "run-once", "--input", "watch.nothing", "-c", config.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).isEqualTo("the configuration " + config + " (from -c) has no input watch.nothing (write PIPELINE.ID)\n");

        Path countersOnly = Files.writeString(dir.resolve("counters.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  numbers:
                    inputs: { count: { type: counter, count: 3 } }
                    outputs: { out: { type: console } }
                """.formatted(dir.resolve("plugins"), dir.resolve("data")));
        AgentProcess.Result none = AgentProcess.run(dir, Map.of(), "run-once", "-c", countersOnly.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).isEqualTo("the configuration " + countersOnly + " (from -c) has no input that works in rounds, such as poll\n");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aRoundThatNeverCompletesEndsAtTheTimeoutAndSaysHowToFixIt(@TempDir Path dir)
            throws Exception
    {
        Path config = config(dir, Files.createDirectories(dir.resolve("watched")), ", complete: false");

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "run-once", "--timeout", "PT1S", "-c", config.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).isEqualTo("watch.items: no round completed within PT1S; raise --timeout if a round takes longer, and check that no option "
                + "of this poll input turns off the event that ends its rounds (outrider plugins describe poll)\n");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void aRunningAgentIsLeftAloneAndNothingRuns(@TempDir Path dir)
            throws Exception
    {
        Path watched = Files.createDirectories(dir.resolve("watched"));
        Path config = config(dir, watched, "");
        Files.writeString(watched.resolve("a.txt"), "a");
        // this test's JVM holds the data directory as a running agent would; no status endpoint is needed to see it
        try (DataDirectoryLock agent = DataDirectoryLock.acquire(dir.resolve("data"), "outrider run")) {
            AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "run-once", "-c", config.toString());

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.stderr()).matches("data_dir " + java.util.regex.Pattern.quote(dir.resolve("data").toString()) + " is in use by another process \\(pid "
                    + ProcessHandle.current().pid() + ": outrider run, since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\): it runs these inputs already;"
                    + " stop it before 'outrider run-once'\n");
            assertThat(result.stdout()).isEmpty();
            assertThat(dir.resolve("data").resolve("buffer.db")).doesNotExist();
        }
    }

    @Test
    void theDeprecatedFimAliasBuildsThenChecksOnTopOfRunOnce(@TempDir Path dir)
            throws Exception
    {
        Path watched = Files.createDirectories(dir.resolve("watched"));
        Files.writeString(watched.resolve("a"), "a");
        Path config = config(dir, watched, "");
        String deprecation = "outrider fim is deprecated and will be removed in the next minor version: use 'outrider run-once' "
                + "(its first round of an input builds the baseline; 'outrider run-once --exit-code' checks)\n";

        AgentProcess.Result noBaseline = AgentProcess.run(dir, Map.of(), "fim", "check", "-c", config.toString());
        assertThat(noBaseline.exitCode()).isEqualTo(2);
        assertThat(noBaseline.stdout()).isEqualTo("watch.items: no baseline yet; build it with 'outrider fim baseline'\n");
        assertThat(noBaseline.stderr()).isEqualTo(deprecation);

        AgentProcess.Result baseline = AgentProcess.run(dir, Map.of(), "fim", "baseline", "-c", config.toString());
        assertThat(baseline.exitCode()).as(baseline.stderr()).isZero();
        assertThat(baseline.stdout()).isEqualTo("""
                watch.items — baseline built
                  poll.round.files    1
                  poll.round.created  0
                """);
        assertThat(baseline.stderr()).isEqualTo(deprecation);

        AgentProcess.Result again = AgentProcess.run(dir, Map.of(), "fim", "baseline", "-c", config.toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).isEqualTo("watch.items: a baseline exists already; 'outrider fim check' compares against it\n");

        Files.writeString(watched.resolve("b"), "b");
        AgentProcess.Result check = AgentProcess.run(dir, Map.of(), "fim", "check", "-c", config.toString());
        assertThat(check.exitCode()).as(check.stderr()).isEqualTo(1);
        assertThat(check.stdout()).isEqualTo("""
                watch.items — check
                  created             %s/b
                  poll.round.files    2
                  poll.round.created  1
                """.formatted(watched));
        assertThat(check.stderr()).isEqualTo(deprecation);

        AgentProcess.Result clean = AgentProcess.run(dir, Map.of(), "fim", "check", "-c", config.toString());
        assertThat(clean.exitCode()).as(clean.stdout()).isZero();
    }
}
