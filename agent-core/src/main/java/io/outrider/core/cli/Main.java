package io.outrider.core.cli;

import picocli.CommandLine;

/** {@code outrider}: the agent's command line. Exit codes: 0 ok, 1 failure, 2 invalid configuration or usage. */
public final class Main
{
    private Main() {}

    public static void main(String[] args)
    {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this in-process or in a child JVM). */
    public static int execute(String... args)
    {
        CommandLine commandLine = new CommandLine(new OutriderCommand());
        commandLine.setExitCodeExceptionMapper(e -> 2);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine.execute(args);
    }
}
