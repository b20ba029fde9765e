package io.outrider.core.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDK's HttpClient completes every exchange on {@code CompletableFuture}'s default executor, which starts a thread
 * per task when the common pool's parallelism is 1 (2 CPUs or fewer). Run in child JVMs that see 2 CPUs whatever
 * this machine has, since the test JVM's own common pool is long made.
 */
class TestCompletionThreads
{
    @Test
    void requestsDoNotStartAThreadEachOnceMainSetTheCommonPoolUp()
            throws Exception
    {
        assertThat(threadsStarted("main")).isLessThan(CompletionThreadsProbe.REQUESTS / 10);
    }

    @Test
    void withoutItEveryRequestStartsAThread()
            throws Exception
    {
        // what the test above guards against, so that it can fail: the JDK's behaviour on a 2-CPU machine
        assertThat(threadsStarted("plain")).isGreaterThanOrEqualTo(CompletionThreadsProbe.REQUESTS);
    }

    @Test
    void aParallelismSetOnTheCommandLineWins()
    {
        String before = System.getProperty(Main.COMMON_POOL_PARALLELISM);
        System.setProperty(Main.COMMON_POOL_PARALLELISM, "1");
        try {
            Main.useSharedCompletionThreads();
            assertThat(System.getProperty(Main.COMMON_POOL_PARALLELISM)).isEqualTo("1");
        }
        finally {
            if (before == null) {
                System.clearProperty(Main.COMMON_POOL_PARALLELISM);
            }
            else {
                System.setProperty(Main.COMMON_POOL_PARALLELISM, before);
            }
        }
    }

    private static long threadsStarted(String mode)
            throws Exception
    {
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:ActiveProcessorCount=2",
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), CompletionThreadsProbe.class.getName(), mode))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        String line = output.lines().filter(text -> text.startsWith("threads started: ")).findFirst().orElseThrow(() -> new AssertionError(output));
        return Long.parseLong(line.substring("threads started: ".length()).strip());
    }
}
