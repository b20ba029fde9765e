package io.outrider.core.cli;

import io.outrider.core.config.CliEnvironment;
import picocli.CommandLine;

/** {@code outrider}: the agent's command line. Exit codes: 0 ok, 1 failure, 2 invalid configuration or usage. */
public final class Main
{
    private Main() {}

    public static void main(String[] args)
    {
        useLeanGuice();
        System.exit(execute(args));
    }

    /**
     * Guice wires the agent once, at start-up. By default it generates a fast-invocation class for every injected
     * constructor and provider method and records a stack trace for every binding; both live for the life of the
     * process (about 3 MB resident at idle, measured with bench/distribution-idle-rss.sh) and buy nothing for a
     * one-time wiring. Reflection and source-less binding errors do the same job. A value set with -D wins.
     */
    static void useLeanGuice()
    {
        if (System.getProperty("guice_bytecode_gen_option") == null) {
            System.setProperty("guice_bytecode_gen_option", "DISABLED");
        }
        if (System.getProperty("guice_include_stack_traces") == null) {
            System.setProperty("guice_include_stack_traces", "OFF");
        }
    }

    /** Runs a command line and returns its exit code (tests call this in-process or in a child JVM). */
    public static int execute(String... args)
    {
        return commandLine(CliEnvironment.ofThisProcess()).execute(args);
    }

    /** The whole command line (also what the man page and the shell completion are generated from). */
    static CommandLine commandLine(CliEnvironment cliEnvironment)
    {
        CommandLine commandLine = new CommandLine(new OutriderCommand(cliEnvironment));
        commandLine.setExitCodeExceptionMapper(e -> 2);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }
}
