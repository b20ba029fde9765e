package io.outrider.support.tls;

import io.outrider.spi.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTlsSettings
{
    @Test
    void defaultsVerifyEverything()
    {
        assertThat(TlsSettings.DEFAULT.verifiesCertificate()).isTrue();
        assertThat(TlsSettings.DEFAULT.verifiesHostname()).isTrue();
        assertThat(TlsSettings.DEFAULT.isCustomized()).isFalse();
        assertThat(TlsSettings.DEFAULT.deprecations("tls")).isEmpty();
    }

    @Test
    void oldNamesKeepTheirMeaningAndNameTheirReplacement()
    {
        TlsSettings old = new TlsSettings(null, null, null, null, null, Path.of("client.key"), null, Path.of("client.crt"), "pass", true);

        assertThat(old.crtFileOrAlias()).isEqualTo(Path.of("client.crt"));
        assertThat(old.keyPassOrAlias()).isEqualTo("pass");
        assertThat(old.verifiesCertificate()).isFalse();
        assertThat(old.verifiesHostname()).isFalse();
        assertThat(old.deprecations("tls")).containsExactly(
                "tls.cert_file is deprecated and will be removed in the next minor version: rename it to tls.crt_file",
                "tls.key_password is deprecated and will be removed in the next minor version: rename it to tls.key_pass",
                "tls.insecure_skip_verify is deprecated and will be removed in the next minor version: use tls.verify_certificate: false");
    }

    @Test
    void aHostNameIsNeverVerifiedOnAChainThatIsNot()
    {
        TlsSettings settings = new TlsSettings(false, true, null, null, null, null, null, null, null, null);

        assertThat(settings.verifiesHostname()).isFalse();
    }

    @Test
    void validationNamesTheProperty()
    {
        assertThatThrownBy(() -> new TlsSettings(null, null, null, null, Path.of("a.crt"), null, null, null, null, null).validate("tls"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tls.key_file: mutual TLS needs both tls.crt_file and tls.key_file");
        assertThatThrownBy(() -> new TlsSettings(null, null, null, null, Path.of("a.crt"), Path.of("a.key"), null, Path.of("b.crt"), null, null).validate("tls"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tls.cert_file: set only tls.crt_file (tls.cert_file is its deprecated name)");
        assertThatThrownBy(() -> new TlsSettings(true, null, null, null, null, null, null, null, null, true).validate("tls"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tls.insecure_skip_verify: tls.insecure_skip_verify: true contradicts tls.verify_certificate: true");
        assertThatThrownBy(() -> new TlsSettings(false, null, null, Path.of("ca.pem"), null, null, null, null, null, null).validate("tls"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tls.verify_certificate: turns verification off but tls.ca_file is set: with a CA file the server can be verified, "
                        + "so remove tls.verify_certificate");
        assertThatThrownBy(() -> new TlsSettings(null, null, " ", null, null, null, null, null, null, null).validate("tls"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tls.server_name: must not be empty; leave it out to use the host connected to");
    }

    @Test
    void thePasswordNeverPrints()
    {
        TlsSettings settings = new TlsSettings(null, null, null, null, Path.of("a.crt"), Path.of("a.key"), "hunter2-secret", null, "old-secret", null);

        assertThat(settings.toString()).doesNotContain("hunter2-secret").doesNotContain("old-secret").contains("keyPass=****");
    }

    @Test
    void problemsAreTheRecordsOwnThenEachFileThatCannotBeRead(@TempDir Path directory)
            throws IOException
    {
        Path ca = Files.writeString(directory.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        Path missing = directory.resolve("missing.pem");

        assertThat(new TlsSettings(null, null, null, ca, null, null, null, null, null, null).problems("tls")).isEmpty();
        assertThat(new TlsSettings(null, null, null, missing, directory, null, null, null, null, null).problems("tls")).containsExactly(
                new InvalidConfigException.Problem("tls.key_file", "mutual TLS needs both tls.crt_file and tls.key_file"),
                new InvalidConfigException.Problem("tls.ca_file", "cannot read " + missing),
                new InvalidConfigException.Problem("tls.crt_file", "cannot read " + directory));
        // the deprecated name is reported under the name that is written
        assertThat(new TlsSettings(null, null, null, null, null, missing, null, missing, null, null).problems("tls")).containsExactly(
                new InvalidConfigException.Problem("tls.cert_file", "cannot read " + missing),
                new InvalidConfigException.Problem("tls.key_file", "cannot read " + missing));
    }
}
