package io.outrider.desktop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TestDesktopMain
{
    @TempDir
    Path directory;

    @Test
    void withoutATraySaysWhatToUseInsteadAndExits3()
            throws Exception
    {
        Result result = runHeadless("tray", "-c", directory.resolve("outrider.yaml").toString());
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).isEqualTo("No system tray is available in this session; use `outrider configure` to edit the configuration and `outrider status` to see the agent's state.\n");
    }

    @Test
    void configureWithoutADisplayPointsAtValidate()
            throws Exception
    {
        Path config = directory.resolve("outrider.yaml");
        Result result = runHeadless("configure", "-c", config.toString());
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).isEqualTo("No display is available; edit " + config + " directly and check it with `outrider validate -c " + config + "`.\n");
    }

    private record Result(int exitCode, String stderr)
    {
    }

    private Result runHeadless(String... args)
            throws Exception
    {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"),
                DesktopMain.class.getName()));
        command.addAll(List.of(args));
        Path stderr = directory.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the command finished").isTrue();
        return new Result(process.exitValue(), Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
