package io.outrider.core.cli;

import io.outrider.core.plugin.PluginJars;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent started on the buffer a newer version wrote (a downgrade) refuses to start, keeps the buffer, and says so
 * in one line: not in Guice's report of every place the buffer was needed, each with its trace.
 */
@Timeout(120)
class TestBufferOfANewerVersion
{
    @Test
    void anAgentOnABufferOfANewerVersionSaysSoInOneLineAndKeepsIt(@TempDir Path dir)
            throws Exception
    {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path file = data.resolve(SqliteBuffer.FILE_NAME);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            statement.executeUpdate("INSERT INTO meta (key, value) VALUES ('schema_version', '99')");
        }
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("counter").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin",
                SpiVersion.CURRENT);
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  numbers:
                    inputs: { count: { type: counter, count: 3 } }
                    outputs: { out: { type: console } }
                """.formatted(plugins, data));

        AgentProcess.Result run = AgentProcess.run(dir.resolve("agent"), Map.of(), "run", "-c", config.toString());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stderr()).contains("ERROR RunCommand: agent cannot start: cannot open the buffer in " + data + ": buffer " + file
                + " was written by a newer version of Outrider (buffer schema version 99; this version reads up to 5): run that version to deliver what it"
                + " holds, or move the buffer aside to start a new one\n");
        assertThat(run.stderr()).doesNotContain("Guice", "Exception", "\tat ", "\\tat ");
        assertThat(run.stderr().lines().filter(line -> line.contains("ERROR"))).hasSize(1);
        assertThat(file).exists();
        try (var files = Files.list(data)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".bad"));
        }
    }
}
