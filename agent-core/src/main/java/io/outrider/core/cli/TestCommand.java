package io.outrider.core.cli;

import io.outrider.core.config.AgentConfiguration;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.logging.LogSetup;
import io.outrider.core.pipeline.OutputProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/** {@code outrider test output ID}: checks one configured output before it is trusted with events. */
@Command(name = "test", description = "Check part of a configuration against the world before trusting it.",
        subcommands = TestCommand.OutputCommand.class)
final class TestCommand
        implements Callable<Integer>
{
    @ParentCommand
    OutriderCommand outrider;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        spec.commandLine().usage(System.err);
        return 2;
    }

    @Command(name = "output", description = {
            "Create the output ID (pipeline.output, or output alone when only one pipeline has it) from the configuration with its real TLS and auth settings, "
                    + "start it, check its collector where that sends nothing the collector would store (LiteSOC: a heartbeat), and say what worked or failed.",
            "Sends no event and leaves the buffer alone. Exit 0 when every check made passed (a line says when the collector could not be checked), "
                    + "1 when one failed, 2 for an unknown output or an invalid configuration."})
    static final class OutputCommand
            implements Callable<Integer>
    {
        @Parameters(index = "0", paramLabel = "ID", description = "the output: pipeline.output, or output when its id is unique")
        String id;

        @Mixin
        ConfigOptions config;

        @ParentCommand
        TestCommand test;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "how long to wait for the collector's answer (default 30)")
        int timeoutSeconds;

        @Override
        public Integer call()
                throws InterruptedException
        {
            Optional<ConfigOptions.Resolved> resolved = config.resolve(test.outrider.cliEnvironment(), System.err);
            if (resolved.isEmpty()) {
                return 2;
            }
            LogSetup.forCommand(resolved.get().bootstrap().secrets(), test.outrider.logLevel(Level.SEVERE));
            Optional<Bootstrap.Loaded> loaded = ConfigOptions.load(resolved.get(), System.err);
            if (loaded.isEmpty()) {
                return 2;
            }
            AgentConfiguration configuration = loaded.get().configuration();
            List<ComponentSpec> outputs = configuration.pipelines().stream().flatMap(pipeline -> pipeline.outputs().stream()).toList();
            List<ComponentSpec> matching = outputs.stream().filter(output -> output.qualifiedId().equals(id) || output.id().equals(id)).toList();
            if (matching.size() != 1) {
                System.err.println((matching.isEmpty() ? "no output '" + id + "'" : "output '" + id + "' is in more than one pipeline; name it as pipeline.output")
                        + " in the configuration " + resolved.get().source().describe() + "; its outputs are: "
                        + String.join(", ", outputs.stream().map(ComponentSpec::qualifiedId).toList()));
                return 2;
            }
            ComponentSpec output = matching.get(0);
            System.out.println("output " + output.qualifiedId() + " (" + output.type() + ")");
            OutputProbe.Report report = OutputProbe.run(configuration, output, resolved.get().bootstrap().secrets(), Duration.ofSeconds(Math.max(1, timeoutSeconds)));
            for (OutputProbe.Step step : report.steps()) {
                String mark = switch (step.outcome()) {
                    case OK -> "ok      ";
                    case FAILED -> "FAILED  ";
                    case NOT_CHECKED -> "not run ";
                };
                System.out.println("  " + mark + resolved.get().bootstrap().secrets().redact(step.text()));
            }
            return report.failed() ? 1 : 0;
        }
    }
}
