package io.outrider.core.cli;

import io.outrider.core.plugin.PluginJars;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code outrider validate} creates every component once, so what only {@code create} finds is an error too: a real child JVM, a real plugin jar. */
class TestValidateCommand
{
    @Test
    void validateReportsWhatCreateRefusesAndWhatItThrowsNamingTheComponent(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("fragile").resolve("fragile.jar"), Map.of("example.fragile.FragilePlugin", """
                package example.fragile;

                import io.outrider.spi.*;
                import java.util.*;

                public final class FragilePlugin implements Plugin {
                    public record FragileConfig(String mode, String apiKey) {}

                    @Override
                    public List<InputFactory<?>> inputFactories() {
                        return List.of(new InputFactory<FragileConfig>() {
                            public String type() { return "fragile"; }
                            public Class<FragileConfig> configClass() { return FragileConfig.class; }
                            public Set<String> sensitiveProperties() { return Set.of("api_key"); }
                            public Input create(FragileConfig config, ComponentContext context) throws InvalidConfigException {
                                if (config.mode().equals("missing")) {
                                    throw new InvalidConfigException("key_file", "cannot read /nonexistent/key.pem");
                                }
                                if (config.mode().equals("refused")) {
                                    throw new InvalidConfigException("mode", "refused when the component was created");
                                }
                                if (config.mode().equals("bug")) {
                                    throw new IllegalStateException("cannot use key " + config.apiKey());
                                }
                                return new Input() {
                                    public void run(Emitter emitter) {}
                                    public void close() {}
                                };
                            }
                        });
                    }
                }
                """), "example.fragile.FragilePlugin", SpiVersion.CURRENT);
        Path config = Files.writeString(dir.resolve("fragile.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  p:
                    inputs:
                      missing: { type: fragile, mode: missing }
                      buggy: { type: fragile, mode: bug, api_key: s3cr3t-k3y }
                      fine: { type: fragile, mode: fine }
                      placed:
                        type: fragile
                        mode: refused
                    outputs:
                      out: { type: console }
                """.formatted(plugins, dir.resolve("data")));

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "validate", "-c", config.toString());

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("""
                Configuration has 3 errors:

                1) %1$s:5:7: pipelines.p.inputs.missing.key_file: cannot read /nonexistent/key.pem (input type 'fragile' (plugin fragile))
                2) %1$s:6:7: pipelines.p.inputs.buggy: input type 'fragile' (plugin fragile) failed to create the component, a bug in the plugin: java.lang.IllegalStateException: cannot use key ******
                3) %1$s:10:15: pipelines.p.inputs.placed.mode: refused when the component was created (input type 'fragile' (plugin fragile))
                """.formatted(config));
        assertThat(result.stdout()).isEqualTo("configuration: " + config + " (from -c)\n");
        // creating the components touched neither the data directory nor the buffer in it
        assertThat(dir.resolve("data")).doesNotExist();
    }
}
