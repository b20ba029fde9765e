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
        // --log-level and -v as on every outrider command
        Result result = runHeadless("tray", "--log-level", "debug", "-c", directory.resolve("outrider.yaml").toString());
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).isEqualTo("No system tray is available in this session; use `outrider configure` to edit the configuration and `outrider status` to see the agent's state.\n");
    }

    @Test
    void configureWithoutADisplayPointsAtValidate()
            throws Exception
    {
        Path config = directory.resolve("outrider.yaml");
        Result result = runHeadless("configure", "-v", "-c", config.toString());
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("configuration: " + config + " (from -c)\n");
        assertThat(result.stderr()).isEqualTo("No display is available; edit " + config + " directly and check it with `outrider validate -c " + config + "`.\n");
    }

    @Test
    void configureWithoutAnyConfigurationSaysHowToNameOneAndExits2()
            throws Exception
    {
        Result result = runHeadless("configure");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("No configuration to edit: no -c, no OUTRIDER_CONFIG, and no " + directory.resolve("etc").resolve("outrider.yaml")
                + " that this user can see (the agent would run its built-in default pipeline). Edit an installed agent's with `sudo outrider configure`; "
                + "`outrider configure -c FILE` creates FILE, which the agent uses with -c FILE or OUTRIDER_CONFIG=FILE.\n");
    }

    private record Result(int exitCode, String stdout, String stderr)
    {
    }

    private Result runHeadless(String... args)
            throws Exception
    {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true",
                // not this machine's /etc/outrider
                "-Doutrider.system.config=" + directory.resolve("etc").resolve("outrider.yaml"),
                "-Doutrider.system.env_file=" + directory.resolve("etc").resolve("agent.env"),
                "-cp", System.getProperty("java.class.path"),
                DesktopMain.class.getName()));
        command.addAll(List.of(args));
        Path stdout = directory.resolve("stdout.txt");
        Path stderr = directory.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile()).redirectOutput(stdout.toFile());
        builder.environment().remove("OUTRIDER_CONFIG");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the command finished").isTrue();
        return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
