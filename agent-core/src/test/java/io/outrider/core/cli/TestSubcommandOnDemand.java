package io.outrider.core.cli;

import io.outrider.core.config.CliEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A command line that names a subcommand gets only that one's model; every other command line gets them all. */
class TestSubcommandOnDemand
{
    @Test
    void aCommandLineThatNamesASubcommandGetsOnlyThatOne(@TempDir Path dir)
    {
        assertThat(Main.commandLine(environment(dir), "run", "-c", "x.yaml").getSubcommands()).containsOnlyKeys("run");
        CommandLine plugins = Main.commandLine(environment(dir), "plugins", "describe", "sshd");
        assertThat(plugins.getSubcommands()).containsOnlyKeys("plugins");
        assertThat(plugins.getSubcommands().get("plugins").getSubcommands()).containsOnlyKeys("describe", "docs");
    }

    @Test
    void anythingElseGetsEveryCommand(@TempDir Path dir)
    {
        int all = OutriderCommand.SUBCOMMANDS.size();
        for (List<String> args : List.of(List.<String>of(), List.of("--help"), List.of("-v", "run"), List.of("help", "run"), List.of("rnu"))) {
            assertThat(Main.commandLine(environment(dir), args.toArray(String[]::new)).getSubcommands()).as(String.join(" ", args)).hasSize(all);
        }
        assertThat(Main.commandLine(environment(dir)).getSubcommands()).hasSize(all);
    }

    @Test
    void aSubcommandAloneAnswersAsInTheWholeCommandLine(@TempDir Path dir)
    {
        for (Class<?> subcommand : OutriderCommand.SUBCOMMANDS) {
            String name = subcommand.getAnnotation(CommandLine.Command.class).name();
            if (name.equals("help")) {
                continue;
            }
            assertThat(OutriderCommand.subcommand(name)).as(name).contains(subcommand);
            String[] args = {name, "--help"};
            assertThat(run(Main.commandLine(environment(dir), args), args)).as(name)
                    .isEqualTo(run(Main.commandLine(environment(dir)), args))
                    // the top level's options reach it as they do in the whole command line
                    .contains("--log-level=LEVEL", "  -v ");
        }
    }

    @Test
    void aMistypedOptionOfANamedSubcommandIsReportedAsBefore(@TempDir Path dir)
    {
        String[] args = {"validate", "--confg", "x.yaml"};
        StringWriter alone = new StringWriter();
        CommandLine named = Main.commandLine(environment(dir), args);
        named.setErr(new PrintWriter(alone, true));
        StringWriter whole = new StringWriter();
        CommandLine everything = Main.commandLine(environment(dir));
        everything.setErr(new PrintWriter(whole, true));

        assertThat(named.execute(args)).isEqualTo(2).isEqualTo(everything.execute(args));
        assertThat(alone.toString()).isEqualTo(whole.toString()).contains("Unknown options: '--confg', 'x.yaml'", "Possible solutions: --config");
    }

    private static String run(CommandLine commandLine, String... args)
    {
        StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        assertThat(commandLine.execute(args)).isZero();
        return out.toString();
    }

    private static CliEnvironment environment(Path dir)
    {
        return new CliEnvironment(Map.of(), dir.resolve("etc/outrider.yaml"), dir.resolve("etc/agent.env"));
    }
}
