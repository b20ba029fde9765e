package io.outrider.core.logging;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.spi.DataSize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class TestLogSetup
{
    @AfterEach
    void resetLogging()
    {
        LogManager.getLogManager().reset();
    }

    @Test
    void agentLogGoesToARotatingFileInTheDataDirWithSecretsMasked(@TempDir Path dir)
            throws Exception
    {
        SecretRegistry secrets = new SecretRegistry();
        secrets.register("sk_live_0123456789");
        AgentSettings settings = new AgentSettings(dir, "h", dir, null, null, new AgentSettings.LogSettings(null, null, DataSize.parse("1MiB"), 2), null, null);

        Path file = LogSetup.forAgent(settings, secrets, false).orElseThrow();
        System.getLogger("outrider.p.out").log(System.Logger.Level.ERROR, "collector refused key sk_live_0123456789 for tenant 7",
                new IllegalStateException("401 for sk_live_0123456789"));
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.flush();
        }

        assertThat(file).isEqualTo(dir.resolve("logs").resolve("outrider.log.0"));
        String log = Files.readString(dir.resolve("logs").resolve("outrider.log.0"));
        assertThat(log).contains("ERROR outrider.p.out: collector refused key ****** for tenant 7")
                .contains("java.lang.IllegalStateException: 401 for ******")
                .doesNotContain("sk_live_0123456789");
    }

    @Test
    void debugRecordsAreDroppedAtInfo(@TempDir Path dir)
            throws Exception
    {
        AgentSettings settings = new AgentSettings(dir, "h", dir, null, null, null, null, null);
        LogSetup.forAgent(settings, new SecretRegistry(), false);
        System.getLogger("io.outrider.core.Thing").log(System.Logger.Level.DEBUG, "noise");
        System.getLogger("io.outrider.core.Thing").log(System.Logger.Level.INFO, "signal");
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.flush();
        }
        String log = Files.readString(dir.resolve("logs").resolve("outrider.log.0"));
        assertThat(log).contains("INFO  Thing: signal").doesNotContain("noise");
    }
}
