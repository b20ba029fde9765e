package io.outrider.plugin.sshd;

import io.outrider.support.testing.SharedCorpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FastPaths} must classify every line exactly as the templates do (they are the specification). */
class TestFastPaths
{
    private static final List<String> EDGE_CASES = List.of(
            "Failed password for root from 1.2.3.4 port 22 ssh2",
            "Failed password for invalid user  from 1.2.3.4 port 22 ssh2",
            "Failed password for invalid user from 1.2.3.4 port 22 ssh2",
            "Failed password for  from 1.2.3.4 port 22 ssh2",
            "Failed password for x from 1.2.3.4 port 123456 ssh2",
            "Failed password for x from 1.2.3.4 port 22 ssh3",
            "Failed password for x from 1.2.3.4 port 22 ssh2 ",
            "Failed password for x from 1.2.3.4 port 22 ssh2:",
            "Failed password for x from 1.2.3.4 port 22 ssh2: ",
            "Failed password for x from 1.2.3.4 port 22 ssh2: RSA",
            "Failed password for x from 1.2.3.4 port 22 ssh2: RSA ",
            "Failed password for x from 1.2.3.4 port 22 ssh2: RSA !",
            "Failed publickey for x from 1.2.3.4 port 22 ssh2: RSA SHA256:ab!cd",
            "Failed publickey for x from 1.2.3.4 port 22 ssh2: rsa SHA256:abcd",
            "Failed publickey for x from 1.2.3.4 port 22 ssh2: RSA-CERT SHA256:ab ID a (serial 1) CA RSA SHA256:cd",
            "Failed publickey for x from 1.2.3.4 port 22 ssh2 from 5.6.7.8 port 1 ssh2",
            "Failed keyboard-interactive/pam for x from 1.2.3.4 port 22 ssh2",
            "Failed keyboard-interactive/ for x from 1.2.3.4 port 22 ssh2",
            "Failed Password for x from 1.2.3.4 port 22 ssh2",
            "Failed password for x from 1.2.3.4\tport 22 ssh2",
            "Failed password for x from 1.2\t3.4 port 22 ssh2",
            "Failed password for x from  port 22 ssh2",
            "Accepted password for invalid user x from 1.2.3.4 port 22 ssh2",
            "Accepted publickey for y from ::1 port 22 ssh2: ED25519 SHA256:abc",
            "Invalid user x from 1.2.3.4",
            "Invalid user x from 1.2.3.4 port 22",
            "Invalid user x from 1.2.3.4 port",
            "Invalid user x from 1.2.3.4 port 22 ",
            "Invalid user x from 1.2.3.4 port 123456",
            "Invalid user  from 1.2.3.4",
            "Invalid user from 1.2.3.4",
            "Invalid user x from ",
            "Invalid user x from 1.2.3.4 from 5.6.7.8 port 9",
            "Invalid user x from 1.2.3.4 port 22 from 5.6.7.8",
            "Invalid user x from 1.2.3.4 port 22 x",
            "Disconnected from user alice 1.2.3.4 port 22",
            "Disconnected from user  1.2.3.4 port 22",
            "Disconnected from user 1.2.3.4 port 22",
            "Disconnected from 1.2.3.4 port 22",
            "Disconnected from authenticating user root 1.2.3.4 port 22",
            "Disconnected from invalid user a b c 1.2.3.4 port 22",
            "Disconnected from invalid user x\t1.2.3.4 port 22",
            "Disconnected from someone x 1.2.3.4 port 22",
            "Disconnected from 1.2.3.4 port 22 port 23",
            "Disconnected from  port 22",
            "Disconnected from user x 1.2.3.4 port 123456",
            "Received disconnect from 1.2.3.4 port 22:11: Bye Bye",
            "Received disconnect from 1.2.3.4 port 22:11:Bye",
            "Received disconnect from 1.2.3.4: 11: Bye Bye",
            "Received disconnect from 1.2.3.4:11: Bye Bye",
            "Received disconnect from 2001:db8::1: 11: Bye Bye",
            "Received disconnect from 1.2.3.4:11:11: Bye",
            "Received disconnect from : 11: Bye",
            "Received disconnect from 1.2.3.4 port 22: 11: Bye",
            "Received disconnect from 1.2.3.4 port 22:123456: Bye",
            "Received disconnect from 1.2.3.4 port :11: Bye");

    private final SshdClassifier withFastPaths = new SshdClassifier(true);
    private final SshdClassifier templatesOnly = new SshdClassifier(false);

    @Test
    void edgeCases()
    {
        EDGE_CASES.forEach(this::assertSame);
    }

    @Test
    void fixtureLines()
    {
        for (TestAuthLogFixture.FixtureLine fixture : TestAuthLogFixture.lines()) {
            assertSame(fixture.line().substring(fixture.line().indexOf(": ") + 2));
        }
    }

    @Test
    void realLines()
            throws IOException
    {
        Path directory = SharedCorpus.loghub();
        List<String> lines = new ArrayList<>(Files.readAllLines(directory.resolve("OpenSSH_2k.log"), StandardCharsets.UTF_8));
        lines.addAll(Files.readAllLines(directory.resolve("Linux_2k.log"), StandardCharsets.UTF_8));
        for (String line : lines) {
            int colon = line.indexOf(": ");
            assertSame(colon < 0 ? line : line.substring(colon + 2));
        }
    }

    @Test
    void randomLinesFromTemplateFragments()
    {
        Random random = new Random(42);
        List<String> heads = List.of("Failed password for ", "Accepted publickey for ", "Failed none for invalid user ", "Invalid user ",
                "Illegal user ", "Disconnected from ", "Disconnected from user ", "Disconnected from invalid user ", "Received disconnect from ");
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            line.setLength(0);
            line.append(heads.get(random.nextInt(heads.size())));
            int pieces = random.nextInt(10);
            for (int p = 0; p < pieces; p++) {
                line.append(TestAdversarialLines.FRAGMENTS.get(random.nextInt(TestAdversarialLines.FRAGMENTS.size())));
            }
            assertSame(line.toString());
        }
    }

    private void assertSame(String text)
    {
        assertThat(withFastPaths.classify(text)).as("classification of <%s>", text).isEqualTo(templatesOnly.classify(text));
    }
}
