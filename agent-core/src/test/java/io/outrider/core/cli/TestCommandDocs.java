package io.outrider.core.cli;

import io.outrider.core.config.CliEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestCommandDocs
{
    @Test
    void theManPageDocumentsEveryCommandWithItsOptions(@TempDir Path dir)
    {
        CommandLine commandLine = Main.commandLine(new CliEnvironment(Map.of(), dir.resolve("outrider.yaml"), dir.resolve("agent.env")));

        String page = CommandDocs.manPage(commandLine);

        assertThat(page).startsWith(".TH OUTRIDER 1 ").contains(".SH NAME\noutrider \\- endpoint agent for security and log data\n",
                ".SS run\n.nf\noutrider run [\\-hvV] [\\-c=FILE] [\\-\\-env\\-file=FILE] [\\-\\-log\\-level=LEVEL]\n.fi\n",
                ".TP\n\\fB\\-\\-log\\-level\\fR=\\fILEVEL\\fR\n", ".TP\n\\fB\\-v\\fR\nthe same as \\-\\-log\\-level debug\n", ".SH EXIT STATUS\n");
        for (String command : commandLine.getSubcommands().keySet()) {
            assertThat(page).contains(".SS " + CommandDocs.escape(command) + "\n");
        }
        // what a shell would run is never a troff request
        assertThat(page.lines()).noneMatch(line -> line.startsWith(".") && !line.matches("\\.(TH|SH|SS|TP|PP|B|I|BR|nf|fi|br)( .*)?"));
    }

    @Test
    void escapingKeepsBackslashesMinusSignsAndLeadingDotsLiteral()
    {
        assertThat(CommandDocs.escape("-c C:\\dir\n.hidden\n'quoted")).isEqualTo("\\-c C:\\edir\n\\&.hidden\n\\&'quoted");
    }

    @Test
    void writesTheManPageAndTheBashCompletion(@TempDir Path dir)
            throws Exception
    {
        CommandDocs.write(dir);

        assertThat(Files.readString(dir.resolve("share/man/man1/outrider.1"))).startsWith(".TH OUTRIDER 1 ").contains(".SS run\n");
        assertThat(Files.readString(dir.resolve("share/bash-completion/completions/outrider")))
                .contains("complete -F _complete_outrider", "run validate plugins parse status tap top control test import-config run-once fim dead-letters buffer tray configure version help",
                        "--log-level", "--env-file");
    }
}
