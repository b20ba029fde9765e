package io.outrider.core.pipeline;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.outrider.core.AgentModule;
import io.outrider.core.cli.Bootstrap;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.metrics.StatusServer;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.InputFactory;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;
import io.outrider.spi.config.Sensitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A collector that echoes the key back URL-encoded, JSON-escaped and in base64, and a key taken from {@code ${VAR}}:
 * the agent's {@code /status} (what {@code outrider status} shows) and its last error carry none of them.
 */
class TestSecretsInStatus
{
    /** A key with a plus, a slash, a quote and a space: each changes in at least one encoding. */
    private static final String KEY = "lsk+live/7Q\"2v x9";

    @Test
    void statusShowsNoFormOfTheKeyACollectorEchoed(@TempDir Path dir)
            throws Exception
    {
        Path config = dir.resolve("outrider.yaml");
        Files.writeString(config, """
                agent:
                  data_dir: %s
                  plugins_dir: %s
                  shutdown_timeout: 5s
                pipelines:
                  p:
                    inputs:
                      one: { type: one_event }
                    outputs:
                      echo: { type: echoing, api_key: "${ECHO_KEY}", delivery: { max_wait: 20ms, retry_initial: 50ms, retry_max: 100ms } }
                """.formatted(dir.resolve("data"), dir.resolve("plugins")));
        EchoingPlugin plugin = new EchoingPlugin();
        SecretRegistry secrets = new SecretRegistry();
        Bootstrap.Loaded loaded = new Bootstrap(Map.of("ECHO_KEY", KEY), secrets)
                .withExtraPlugins(List.of(new LoadedPlugin("echoing", Optional.empty(), "1", SpiVersion.CURRENT, plugin, getClass().getClassLoader())))
                .load(Optional.of(config));
        Agent agent = Guice.createInjector(Stage.PRODUCTION, new AgentModule(loaded.configuration(), secrets, Clock.systemUTC())).getInstance(Agent.class);
        agent.start();
        try (StatusServer server = StatusServer.start("127.0.0.1:0", agent, secrets)) {
            assertThat(plugin.refused.await(30, TimeUnit.SECONDS)).as("the collector refused a batch").isTrue();
            HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/status"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(status.statusCode()).isEqualTo(200);
            String expected = "collector answered 500: key=****** json=\"******\" base64=****** basic=YWdlbnQ6******";
            assertThat(agent.status().pipelines().get(0).outputs()).extracting(StatusReport.Component::lastError).containsExactly(expected);
            // /status is JSON: the quotes the collector put around the key are escaped once more there
            assertThat(status.body()).contains("\"last_error\" : \"collector answered 500: key=****** json=\\\"******\\\" base64=******")
                    .doesNotContain("7Q").doesNotContain("N1Ei");
        }
        finally {
            agent.stop();
        }
    }

    /** An input of one event and an output whose collector answers with the key in every encoding. */
    static final class EchoingPlugin
            implements Plugin
    {
        record OutputConfig(@Sensitive String apiKey)
        {
        }

        final CountDownLatch refused = new CountDownLatch(2);

        @Override
        public List<InputFactory<?>> inputFactories()
        {
            return List.of(new OneEventInputFactory());
        }

        @Override
        public List<OutputFactory<?>> outputFactories()
        {
            return List.of(new OutputFactory<OutputConfig>()
            {
                @Override
                public String type()
                {
                    return "echoing";
                }

                @Override
                public Class<OutputConfig> configClass()
                {
                    return OutputConfig.class;
                }

                @Override
                public Output create(OutputConfig config, ComponentContext context)
                {
                    return new Output()
                    {
                        @Override
                        public DeliveryResult deliver(List<Event> batch)
                        {
                            String key = config.apiKey();
                            String reason = "collector answered 500: key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)
                                    + " json=\"" + key.replace("\"", "\\\"") + "\""
                                    + " base64=" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))
                                    + " basic=" + Base64.getEncoder().encodeToString(("agent:" + key).getBytes(StandardCharsets.UTF_8));
                            refused.countDown();
                            return DeliveryResult.retryLater(reason);
                        }

                        @Override
                        public void close() {}
                    };
                }
            });
        }
    }
}
