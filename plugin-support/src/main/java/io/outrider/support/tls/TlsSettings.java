package io.outrider.support.tls;

import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.config.Description;
import io.outrider.spi.config.Sensitive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code tls:} block every network output accepts, with one vocabulary (Vector's): {@code verify_certificate},
 * {@code verify_hostname}, {@code server_name}, {@code ca_file}, {@code crt_file}, {@code key_file}, {@code key_pass}.
 * Certificates and keys are PEM files; a key may be PKCS#8 (plain or encrypted with {@code key_pass}), PKCS#1 RSA or
 * SEC1 EC. Verification of the chain and of the host name is on unless turned off.
 *
 * <p>The names the outputs used before ({@code cert_file}, {@code key_password}, {@code insecure_skip_verify}) are
 * still read for one minor version; {@link #deprecations} names their replacements, and a factory returns those from
 * {@code ComponentFactory.warnings}. Use {@link #crtFileOrAlias()}, {@link #keyPassOrAlias()},
 * {@link #verifiesCertificate()} and {@link #verifiesHostname()} rather than the raw components, so the old names
 * keep their meaning.
 *
 * @param verifyCertificate verify the server's certificate chain; default true. False trusts any server: tests only
 * @param verifyHostname verify that the server's certificate names {@code server_name} (default: the host the output
 *        connects to); default true
 * @param serverName the name sent in SNI and verified against the certificate; default the host the output connects to
 * @param caFile PEM certificate authorities to trust instead of the JDK's default trust store
 * @param crtFile PEM client certificate (and chain) for mutual TLS
 * @param keyFile PEM private key of {@code crt_file}
 * @param keyPass the password of an encrypted {@code key_file}
 * @param certFile deprecated name of {@code crt_file}
 * @param keyPassword deprecated name of {@code key_pass}
 * @param insecureSkipVerify deprecated: {@code true} means {@code verify_certificate: false}
 */
public record TlsSettings(
        @Description("verify the server's certificate chain; default true (false: tests only)") Boolean verifyCertificate,
        @Description("verify that the server's certificate names server_name; default true") Boolean verifyHostname,
        @Description("name sent in SNI and verified; default the host connected to") String serverName,
        @Description("PEM certificate authorities to trust instead of the JDK's") Path caFile,
        @Description("PEM client certificate chain for mutual TLS") Path crtFile,
        @Description("PEM private key of crt_file: PKCS#8 (encrypted or not), PKCS#1 RSA or SEC1 EC") Path keyFile,
        @Sensitive @Description("password of an encrypted key_file") String keyPass,
        @Description("deprecated: use crt_file") Path certFile,
        @Sensitive @Description("deprecated: use key_pass") String keyPassword,
        @Description("deprecated: use verify_certificate: false") Boolean insecureSkipVerify)
{
    /** No {@code tls:} block: the JDK's trust store, chain and host name verified, no client certificate. */
    public static final TlsSettings DEFAULT = new TlsSettings(null, null, null, null, null, null, null, null, null, null);

    public TlsSettings
    {
        // the deprecated insecure_skip_verify still decides when verify_certificate is not given
        verifyCertificate = verifyCertificate != null ? verifyCertificate : insecureSkipVerify == null || !insecureSkipVerify;
        verifyHostname = verifyHostname == null || verifyHostname;
    }

    /** The client certificate, under its current or its deprecated name. */
    public Path crtFileOrAlias()
    {
        return crtFile != null ? crtFile : certFile;
    }

    /** The key's password, under its current or its deprecated name. */
    public String keyPassOrAlias()
    {
        return keyPass != null ? keyPass : keyPassword;
    }

    public boolean verifiesCertificate()
    {
        return verifyCertificate && (insecureSkipVerify == null || !insecureSkipVerify);
    }

    /** Host names are only verified on a verified chain: a certificate anyone can make names anything. */
    public boolean verifiesHostname()
    {
        return verifiesCertificate() && verifyHostname;
    }

    /** Whether any setting differs from {@link #DEFAULT}. */
    public boolean isCustomized()
    {
        return !equals(DEFAULT);
    }

    /**
     * Checks what the record alone can tell: pairs that must go together, names given twice.
     *
     * @param prefix the block's property path for messages, e.g. {@code tls}
     * @throws InvalidConfigException naming the property
     */
    public void validate(String prefix)
            throws InvalidConfigException
    {
        if (crtFile != null && certFile != null) {
            throw new InvalidConfigException(prefix + ".cert_file", "set only " + prefix + ".crt_file (" + prefix + ".cert_file is its deprecated name)");
        }
        if (keyPass != null && keyPassword != null) {
            throw new InvalidConfigException(prefix + ".key_password", "set only " + prefix + ".key_pass (" + prefix + ".key_password is its deprecated name)");
        }
        if (insecureSkipVerify != null && insecureSkipVerify && verifyCertificate) {
            throw new InvalidConfigException(prefix + ".insecure_skip_verify", prefix + ".insecure_skip_verify: true contradicts " + prefix + ".verify_certificate: true");
        }
        if (!verifiesCertificate() && caFile != null) {
            String property = insecureSkipVerify != null && insecureSkipVerify ? "insecure_skip_verify" : "verify_certificate";
            throw new InvalidConfigException(prefix + "." + property, "turns verification off but " + prefix
                    + ".ca_file is set: with a CA file the server can be verified, so remove " + prefix + "." + property);
        }
        if ((crtFileOrAlias() == null) != (keyFile == null)) {
            throw new InvalidConfigException(prefix + (keyFile == null ? ".key_file" : ".crt_file"),
                    "mutual TLS needs both " + prefix + ".crt_file and " + prefix + ".key_file");
        }
        if (keyPassOrAlias() != null && keyFile == null) {
            throw new InvalidConfigException(prefix + ".key_pass", prefix + ".key_pass is set but " + prefix + ".key_file is not");
        }
        if (serverName != null && serverName.isBlank()) {
            throw new InvalidConfigException(prefix + ".server_name", "must not be empty; leave it out to use the host connected to");
        }
    }

    /**
     * Everything a factory's {@code validate} reports about this block, in one wording for every output: what
     * {@link #validate} finds, then each of {@code ca_file}, {@code crt_file} (or {@code cert_file}) and
     * {@code key_file} that is set but is not a readable file. The files are only looked at, never parsed: that
     * happens when the output is created ({@link TlsContexts#sslContext}).
     *
     * @param prefix the block's property path for messages, e.g. {@code tls}
     */
    public List<InvalidConfigException.Problem> problems(String prefix)
    {
        List<InvalidConfigException.Problem> problems = new ArrayList<>();
        try {
            validate(prefix);
        }
        catch (InvalidConfigException e) {
            problems.addAll(e.problems());
        }
        addUnreadable(problems, prefix + ".ca_file", caFile);
        addUnreadable(problems, prefix + (crtFile != null || certFile == null ? ".crt_file" : ".cert_file"), crtFileOrAlias());
        addUnreadable(problems, prefix + ".key_file", keyFile);
        return List.copyOf(problems);
    }

    private static void addUnreadable(List<InvalidConfigException.Problem> problems, String property, Path file)
    {
        if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
            problems.add(new InvalidConfigException.Problem(property, "cannot read " + file));
        }
    }

    /** One sentence per deprecated name in use, naming its replacement. */
    public List<String> deprecations(String prefix)
    {
        List<String> warnings = new ArrayList<>();
        if (certFile != null) {
            warnings.add(prefix + ".cert_file is deprecated and will be removed in the next minor version: rename it to " + prefix + ".crt_file");
        }
        if (keyPassword != null) {
            warnings.add(prefix + ".key_password is deprecated and will be removed in the next minor version: rename it to " + prefix + ".key_pass");
        }
        if (insecureSkipVerify != null) {
            warnings.add(prefix + ".insecure_skip_verify is deprecated and will be removed in the next minor version: use " + prefix
                    + ".verify_certificate: " + !insecureSkipVerify);
        }
        return List.copyOf(warnings);
    }

    // records print every component; the key's password must not reach a log through toString
    @Override
    public String toString()
    {
        return "TlsSettings[verifyCertificate=" + verifyCertificate + ", verifyHostname=" + verifyHostname + ", serverName=" + serverName
                + ", caFile=" + caFile + ", crtFile=" + crtFileOrAlias() + ", keyFile=" + keyFile
                + ", keyPass=" + (keyPassOrAlias() == null ? "null" : "****") + "]";
    }
}
