package io.outrider.plugin.kafka;

import io.outrider.spi.config.Description;
import io.outrider.spi.config.Sensitive;

/**
 * SASL settings of the {@code kafka} output ({@code security_protocol: sasl_plaintext} or {@code sasl_ssl}).
 *
 * @param mechanism {@code plain}, {@code scram_sha_256} (default) or {@code scram_sha_512}
 * @param username the SASL user
 * @param password the SASL password; take it from {@code ${VAR}} or {@code ${file:PATH}}
 */
public record KafkaSaslConfig(
        @Description("plain, scram_sha_256 or scram_sha_512") Mechanism mechanism,
        @Description("SASL user") String username,
        @Sensitive @Description("SASL password; use ${VAR} or ${file:PATH}") String password)
{
    static final KafkaSaslConfig NONE = new KafkaSaslConfig(null, null, null);

    public KafkaSaslConfig
    {
        mechanism = mechanism == null ? Mechanism.SCRAM_SHA_256 : mechanism;
    }

    boolean isEmpty()
    {
        return username == null && password == null;
    }

    // records print every component; the password must not reach a log through toString
    @Override
    public String toString()
    {
        return "KafkaSaslConfig[mechanism=" + mechanism + ", username=" + username + ", password=" + (password == null ? "null" : "****") + "]";
    }

    /** SASL mechanisms with a user name and password. */
    public enum Mechanism
    {
        PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
        SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
        SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

        private final String kafkaName;
        private final String loginModule;

        Mechanism(String kafkaName, String loginModule)
        {
            this.kafkaName = kafkaName;
            this.loginModule = loginModule;
        }

        String kafkaName()
        {
            return kafkaName;
        }

        String loginModule()
        {
            return loginModule;
        }
    }
}
