package io.outrider.core.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code outrider version}. */
@Command(name = "version", description = "Print the agent's version, its SPI version and the Java runtime.")
final class VersionCommand
        implements Callable<Integer>
{
    @Override
    public Integer call()
    {
        System.out.println(new OutriderCommand.Version().getVersion()[0]);
        return 0;
    }
}
