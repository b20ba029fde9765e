package io.outrider.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code validate} and {@code run} of the assembled agent say about configurations that are legal but probably wrong. */
class TestValidateWarnings
{
    @Test
    void pathsThatMatchNothingYetAreWarningsNotErrors(@TempDir Path dir)
            throws Exception
    {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("app.log"), "started\n");
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                pipelines:
                  p:
                    inputs:
                      present: { type: file, paths: ["%1$s/*.log"] }
                      later: { type: file, paths: ["%1$s/x/*.log"] }
                      alternatives: { type: file, paths: ["%1$s/auth.log", "%1$s/app.log"] }
                      integrity: { type: fim, paths: ["%1$s/etc"] }
                    outputs:
                      out: { type: console }
                """.formatted(logs));

        Outrider.Result result = Outrider.run(dir, Map.of(), "validate", "-c", config.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).isEqualTo("""
                Configuration has 2 warnings:

                1) %1$s:5:7: pipelines.p.inputs.later: path "%2$s/x/*.log" matches no file yet; the input will pick files up when they appear
                2) %1$s:7:7: pipelines.p.inputs.integrity: path "%2$s/etc" does not exist; it is monitored once it appears
                """.formatted(config, logs));
        assertThat(result.stdout()).isEqualTo("""
                configuration: %s (from -c)
                Configuration is valid: 1 pipeline(s), 5 component(s).
                  p: present (file), later (file), alternatives (file), integrity (fim) -> out (console)
                """.formatted(config));
    }

    @Test
    void journaldRefusesTheOldPositionsWithTheNewSpellingAndTheWarningsFollowTheErrors(@TempDir Path dir)
            throws Exception
    {
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                pipelines:
                  p:
                    inputs:
                      journal: { type: journald, read_from: head, cursor_fallback: tail }
                      files: { type: file, paths: ["%s/*.log"], read_from: beginning }
                    outputs:
                      out: { type: console }
                """.formatted(dir));

        Outrider.Result result = Outrider.run(dir, Map.of(), "validate", "-c", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("""
                Configuration has 2 errors:

                1) %1$s:4:45: pipelines.p.inputs.journal.read_from: "head" is no longer accepted; use "beginning" (input type 'journald' (plugin input-journald))
                2) %1$s:4:68: pipelines.p.inputs.journal.cursor_fallback: "tail" is no longer accepted; use "end" (input type 'journald' (plugin input-journald))

                Configuration has 1 warning:

                1) %1$s:5:7: pipelines.p.inputs.files: path "%2$s/*.log" matches no file yet; the input will pick files up when they appear
                """.formatted(config, dir));
        assertThat(result.stdout()).isEqualTo("configuration: " + config + " (from -c)\n");
    }

    @Test
    void wineventRefusesTheOldPositionsWithTheNewSpelling(@TempDir Path dir)
            throws Exception
    {
        // import mode, so that the configuration is valid on any OS but for read_from
        Path events = Files.writeString(dir.resolve("security.xml"), "<Events></Events>\n");
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                pipelines:
                  p:
                    inputs:
                      windows: { type: winevent, read_from: oldest, files: ["%1$s"] }
                      archive: { type: winevent, read_from: newest, files: ["%1$s"] }
                    outputs:
                      out: { type: console }
                """.formatted(events));

        Outrider.Result result = Outrider.run(dir, Map.of(), "validate", "-c", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("""
                Configuration has 2 errors:

                1) %1$s:4:45: pipelines.p.inputs.windows.read_from: "oldest" is no longer accepted; use "beginning" (input type 'winevent' (plugin input-winevent))
                2) %1$s:5:45: pipelines.p.inputs.archive.read_from: "newest" is no longer accepted; use "end" (input type 'winevent' (plugin input-winevent))
                """.formatted(config));
        assertThat(result.stdout()).isEqualTo("configuration: " + config + " (from -c)\n");
    }

    @Test
    void theDefaultPipelineSaysWhenItReadsTheBundledSample(@TempDir Path dir)
            throws Exception
    {
        Path sample = dir.resolve("data").resolve("samples").resolve("auth.log");
        String notice = "reading the bundled sample log " + sample + ": its attackers are made up; point -c at a configuration to read your own logs";
        boolean systemLogReadable = List.of(Path.of("/var/log/auth.log"), Path.of("/var/log/secure")).stream()
                .anyMatch(log -> Files.isReadable(log) && log.toFile().length() > 0);

        Outrider.Result validate = Outrider.run(dir, Map.of("HOME", dir.toString()), "validate");
        Outrider agent = Outrider.start(dir, Map.of("HOME", dir.toString()), "run");
        agent.awaitStdout(lines -> !lines.isEmpty(), Duration.ofSeconds(60), "the first event");
        agent.signal("INT");
        assertThat(agent.waitFor(Duration.ofSeconds(30))).as(agent.stderr()).isZero();

        assertThat(validate.exitCode()).as(validate.stderr()).isZero();
        if (systemLogReadable) {
            assertThat(validate.stderr()).doesNotContain("bundled sample");
            assertThat(agent.stderr()).doesNotContain("bundled sample");
        }
        else {
            assertThat(validate.stderr()).isEqualTo("note: " + notice + "\n");
            // the agent logs to standard error: the notice is one WARN record there, said once
            assertThat(agent.stderr()).containsOnlyOnce(notice);
            assertThat(agent.stderr()).containsPattern("WARN +RunCommand: " + java.util.regex.Pattern.quote(notice) + "\n");
        }
    }
}
