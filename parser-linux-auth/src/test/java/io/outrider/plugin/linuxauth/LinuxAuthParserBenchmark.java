package io.outrider.plugin.linuxauth;

import io.outrider.spi.Event;
import io.outrider.spi.ParseResult;
import io.outrider.spi.testing.ParserHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lines per second of one parser on one thread over a realistic mixed auth.log: the generated log of
 * {@code bench/gen-auth-log.py} (sshd with its PAM lines, cron, sudo, su, systemd-logind) with, every
 * {@value #ACCOUNT_EVERY} lines, one of the account-management and lockout lines a real host writes far more rarely.
 * Each operation is one line: {@link #parseEvent} parses the event a file input made of it (built beforehand: the
 * parser alone), {@link #buildAndParseLine} also builds that event. Run it with {@code bench/parser-linux-auth-jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
public class LinuxAuthParserBenchmark
{
    static final int ACCOUNT_EVERY = 500;
    private static final Instant READ_AT = Instant.parse("2026-11-23T10:00:00Z");
    private static final List<String> ACCOUNT_LINES = List.of(
            "Nov 22 14:30:00 web1 useradd[6000]: new user: name=dave, UID=1002, GID=1002, home=/home/dave, shell=/bin/bash, from=/dev/pts/0",
            "Nov 22 14:30:00 web1 useradd[6000]: new group: name=dave, GID=1002",
            "Nov 22 14:31:00 web1 usermod[6010]: add 'dave' to group 'sudo'",
            "Nov 22 14:31:00 web1 usermod[6010]: add 'dave' to shadow group 'sudo'",
            "Nov 22 14:32:00 web1 usermod[6020]: lock user 'erin' password",
            "Nov 22 14:30:10 web1 passwd[6001]: pam_unix(passwd:chauthtok): password changed for dave",
            "Nov 22 14:34:10 web1 gpasswd[6041]: user erin added by root to group analysts",
            "Nov 22 14:33:00 web1 userdel[6030]: delete user 'dave'",
            "Nov 22 14:40:00 web1 sshd[7000]: pam_faillock(sshd:auth): Consecutive login failures for user alice account temporarily locked",
            "Nov 22 14:13:02 web1 su[4250]: FAILED SU (to root) alice on pts/1",
            "Nov 22 14:07:00 web1 sudo:  mallory : user NOT in sudoers ; TTY=pts/2 ; PWD=/tmp ; USER=root ; COMMAND=/bin/bash");

    @Param("/tmp/outrider-bench/gen-auth-1000000-42.log")
    public String log;

    private String[] lines;
    private Event[] events;
    private int next;
    private LinuxAuthParser parser;

    @Setup(Level.Trial)
    public void load()
            throws IOException
    {
        List<String> generated = Files.readAllLines(Path.of(log), StandardCharsets.UTF_8);
        List<String> all = new ArrayList<>(generated.size() + generated.size() / ACCOUNT_EVERY + 1);
        for (int i = 0; i < generated.size(); i++) {
            if (i % ACCOUNT_EVERY == 0) {
                all.add(ACCOUNT_LINES.get((i / ACCOUNT_EVERY) % ACCOUNT_LINES.size()));
            }
            all.add(generated.get(i));
        }
        lines = all.toArray(String[]::new);
        events = new Event[lines.length];
        for (int i = 0; i < lines.length; i++) {
            events[i] = ParserHarness.fileEvent(READ_AT, lines[i]);
        }
        parser = new LinuxAuthParser(LinuxAuthParserConfig.defaults(), ZoneOffset.UTC);
        next = 0;
    }

    @Benchmark
    public ParseResult parseEvent()
    {
        Event event = events[next];
        next = next + 1 == events.length ? 0 : next + 1;
        return parser.parse(event);
    }

    @Benchmark
    public ParseResult buildAndParseLine()
    {
        String line = lines[next];
        next = next + 1 == lines.length ? 0 : next + 1;
        return parser.parse(ParserHarness.fileEvent(READ_AT, line));
    }
}
