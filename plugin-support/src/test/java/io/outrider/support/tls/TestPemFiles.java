package io.outrider.support.tls;

import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TestPemFiles
{
    @TempDir
    Path directory;

    @Test
    void readsTheUsualPemKeyForms()
            throws Exception
    {
        KeyPair ec = TestingCertificates.ecKeyPair();
        KeyPair rsa = TestingCertificates.rsaKeyPair();
        assertLoads(TestingCertificates.writeSec1(directory.resolve("sec1.key"), ec), null, ec);
        assertLoads(TestingCertificates.writePem(directory.resolve("pkcs1.key"), rsa), null, rsa);
        assertLoads(TestingCertificates.writePkcs8(directory.resolve("pkcs8.key"), ec), null, ec);
        Path encrypted = TestingCertificates.writeEncryptedPkcs8(directory.resolve("encrypted.key"), rsa, "correct horse");
        assertLoads(encrypted, "correct horse", rsa);

        InvalidConfigException wrong = catchThrowableOfType(InvalidConfigException.class, () -> PemFiles.privateKey(encrypted, "battery staple"));
        assertThat(wrong.problems()).singleElement().extracting(Problem::property).isEqualTo("tls.key_pass");
        assertThat(wrong.getMessage()).startsWith("tls.key_pass: cannot decrypt " + encrypted + " with tls.key_pass: ")
                .doesNotContain("battery staple");
        InvalidConfigException missing = catchThrowableOfType(InvalidConfigException.class, () -> PemFiles.privateKey(encrypted, null));
        assertThat(missing.problems()).containsExactly(new Problem("tls.key_pass", encrypted + " is encrypted: set tls.key_pass"));
    }

    private static void assertLoads(Path file, String password, KeyPair expected)
            throws InvalidConfigException
    {
        PrivateKey key = PemFiles.privateKey(file, password);
        if (key instanceof java.security.interfaces.ECPrivateKey) {
            // SEC1 keeps the curve inside the key too, so compare the secret, not the encoding
            assertThat(((java.security.interfaces.ECPrivateKey) key).getS()).as(file.getFileName().toString())
                    .isEqualTo(((java.security.interfaces.ECPrivateKey) expected.getPrivate()).getS());
        }
        else {
            assertThat(key.getEncoded()).as(file.getFileName().toString()).isEqualTo(expected.getPrivate().getEncoded());
        }
    }
}
