package io.outrider.core.cli;

import io.outrider.core.AgentVersion;
import io.outrider.core.config.CliEnvironment;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The man page and the bash completion of {@code outrider}, generated from the command definitions, so that they say
 * what the command line does. The distribution's build runs {@code CommandDocs DIR}, which writes
 * {@code DIR/share/man/man1/outrider.1} and {@code DIR/share/bash-completion/completions/outrider}.
 */
public final class CommandDocs
{
    static final String MAN_PAGE = "share/man/man1/outrider.1";
    static final String BASH_COMPLETION = "share/bash-completion/completions/outrider";

    private CommandDocs() {}

    public static void main(String[] args)
            throws IOException
    {
        if (args.length != 1) {
            System.err.println("usage: CommandDocs OUTPUT_DIR");
            System.exit(2);
        }
        write(Path.of(args[0]));
    }

    static void write(Path directory)
            throws IOException
    {
        CommandLine commandLine = Main.commandLine(CliEnvironment.ofThisProcess());
        Path manPage = directory.resolve(MAN_PAGE);
        Files.createDirectories(manPage.getParent());
        Files.writeString(manPage, manPage(commandLine), StandardCharsets.UTF_8);
        Path completion = directory.resolve(BASH_COMPLETION);
        Files.createDirectories(completion.getParent());
        Files.writeString(completion, AutoComplete.bash("outrider", commandLine), StandardCharsets.UTF_8);
    }

    /** The man page (troff, man macros): the commands with their synopsis, description and options, then the conventions they share. */
    static String manPage(CommandLine commandLine)
    {
        CommandSpec root = commandLine.getCommandSpec();
        StringBuilder page = new StringBuilder();
        page.append(".TH OUTRIDER 1 \"\" \"outrider ").append(escape(AgentVersion.get())).append("\" \"User Commands\"\n");
        page.append(".SH NAME\noutrider \\- ").append(escape(lowerFirst(String.join(" ", root.usageMessage().description())).replaceAll("\\.$", ""))).append('\n');
        page.append(".SH SYNOPSIS\n").append(synopsis(commandLine)).append(".br\n.B outrider\n.I COMMAND\n[\\fIOPTION\\fR]...\n");
        page.append(".SH DESCRIPTION\n").append("""
                Outrider tails log files, the systemd journal and the Windows Event Log, watches file integrity, turns raw lines \
                into security events, keeps every event in a local buffer while the collector is unreachable, and ships it. \
                Everything it does is a command; \\fBoutrider help\\fR \\fICOMMAND\\fR (or \\fICOMMAND\\fR \\fB\\-\\-help\\fR) \
                shows one.
                """);
        page.append(".SH OPTIONS\nThese options are accepted by every command.\n");
        for (OptionSpec option : root.options()) {
            option(page, option);
        }
        page.append(".SH COMMANDS\n");
        for (CommandLine subcommand : commandLine.getSubcommands().values()) {
            CommandSpec spec = subcommand.getCommandSpec();
            page.append(".SS ").append(escape(spec.name())).append('\n');
            page.append(synopsis(subcommand));
            page.append(".PP\n").append(escape(String.join(" ", spec.usageMessage().description()))).append('\n');
            for (PositionalParamSpec parameter : spec.positionalParameters()) {
                if (parameter.description().length > 0) {
                    page.append(".TP\n.I ").append(escape(parameter.paramLabel())).append('\n').append(escape(String.join(" ", parameter.description()))).append('\n');
                }
            }
            for (OptionSpec option : spec.options()) {
                if (!option.inherited() && !option.usageHelp() && !option.versionHelp()) {
                    option(page, option);
                }
            }
        }
        page.append("""
                .SH CONFIGURATION
                Every command that reads a configuration finds it the same way: the file of \\fB\\-c\\fR, else \\fB$OUTRIDER_CONFIG\\fR, \
                else \\fI/etc/outrider/outrider.yaml\\fR when it exists, else the built-in default pipeline (the SSH auth log, or a \
                bundled sample, through the sshd parser to the console). \\fBoutrider validate\\fR says which one it checked.
                .PP
                Values may use \\fB${VAR}\\fR, \\fB${VAR:\\-default}\\fR and \\fB${file:PATH}\\fR. The variables come from the \
                environment and from the env file: \\fB\\-\\-env\\-file\\fR, else \\fIagent.env\\fR beside the configuration file, \
                else \\fI/etc/outrider/agent.env\\fR, when readable. A variable set in both keeps the environment's value.
                .SH LOGGING
                The agent logs to standard error, and to \\fBagent.log.file\\fR when that is set. On a terminal a record may span \
                lines (stack traces); otherwise every record is one line, with line breaks and control characters escaped. When \
                \\fBJOURNAL_STREAM\\fR is set (systemd connected standard error to the journal) each line starts with its syslog \
                priority (\\fB<3>\\fR error, \\fB<4>\\fR warning, \\fB<6>\\fR info, \\fB<7>\\fR debug), so \\fBjournalctl \\-u outrider \
                \\-p warning\\fR filters by level. Keys are masked wherever they would appear.
                .SH ENVIRONMENT
                .TP
                .B OUTRIDER_CONFIG
                the configuration file when \\fB\\-c\\fR is not given
                .TP
                .B OUTRIDER_DATA_DIR
                the data directory (buffer, checkpoints) when the configuration does not set \\fBagent.data_dir\\fR
                .TP
                .B OUTRIDER_HOME
                the installation (its \\fIplugins/\\fR); set by the launcher
                .TP
                .B JOURNAL_STREAM
                set by systemd: log lines carry their syslog priority
                .TP
                .BR OUTRIDER_JAVA_OPTS ", " OUTRIDER_EXTRA_JAVA_OPTS
                replace or extend the launcher's JVM options
                .SH FILES
                .TP
                .I /etc/outrider/outrider.yaml
                the installed configuration
                .TP
                .I /etc/outrider/agent.env
                the installed env file (mode 0600): keys, referenced from the configuration as \\fB${OUTRIDER_API_KEY}\\fR
                .TP
                .I /var/lib/outrider
                the service's data directory
                .SH EXIT STATUS
                0 success; 1 failure; 2 an invalid configuration or command line; 3 no agent answers (status, control) or no \
                tray (tray).
                """);
        return page.toString();
    }

    private static String synopsis(CommandLine commandLine)
    {
        // picocli's own synopsis, so that it is the one --help prints
        String text = commandLine.getHelp().synopsis(0).strip().replaceAll("\\s+", " ");
        return ".nf\n" + escape(text) + "\n.fi\n";
    }

    private static void option(StringBuilder page, OptionSpec option)
    {
        StringBuilder names = new StringBuilder();
        for (String name : option.names()) {
            if (!names.isEmpty()) {
                names.append(", ");
            }
            names.append("\\fB").append(escape(name)).append("\\fR");
        }
        if (option.typeInfo().isBoolean() == false && option.arity().max() > 0) {
            names.append("=\\fI").append(escape(option.paramLabel())).append("\\fR");
        }
        page.append(".TP\n").append(names).append('\n').append(escape(String.join(" ", option.description()))).append('\n');
    }

    /** Text as troff prints it literally: backslashes and minus signs escaped, no line taken for a request. */
    static String escape(String text)
    {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        StringBuilder out = new StringBuilder(escaped.length() + 8);
        for (String line : escaped.split("\n", -1)) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            if (line.startsWith(".") || line.startsWith("'")) {
                out.append("\\&");
            }
            out.append(line);
        }
        return out.toString();
    }

    private static String lowerFirst(String text)
    {
        return text.isEmpty() ? text : text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }
}
