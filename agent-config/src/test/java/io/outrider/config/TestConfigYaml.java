package io.outrider.config;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

import static org.assertj.core.api.Assertions.assertThat;

class TestConfigYaml
{
    @Test
    void reportsASyntaxErrorWithItsPlace()
    {
        ConfigProblems problems = new ConfigProblems();

        assertThat(ConfigYaml.compose("a.yaml", "a: [1, 2\nb: 3\n", problems)).isEmpty();

        assertThat(problems.sorted()).singleElement().satisfies(problem -> {
            assertThat(problem.location().toString()).isEqualTo("a.yaml:2:2");
            assertThat(problem.message()).startsWith("invalid YAML: ");
        });
    }

    @Test
    void anEmptyDocumentIsNoNodeAndNoProblem()
    {
        ConfigProblems problems = new ConfigProblems();

        assertThat(ConfigYaml.compose("a.yaml", "# nothing\n", problems)).isEmpty();
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void findsTheNodeAPropertyPathNames()
    {
        Node root = ConfigYaml.compose("a.yaml", "tls:\n  ca_file: /x\nport: 1\n", new ConfigProblems()).orElseThrow();

        assertThat(((ScalarNode) ConfigYaml.find(root, "tls.ca_file")).getValue()).isEqualTo("/x");
        assertThat(ConfigLocation.of("a.yaml", ConfigYaml.find(root, "tls.key_file")).toString()).isEqualTo("a.yaml:2:3");
        assertThat(ConfigYaml.find(root, "port.more")).isNull();
        assertThat(ConfigYaml.find(root, "")).isNull();
    }

    @Test
    void suggestsTheClosestName()
    {
        assertThat(DidYouMean.closest("endpont", java.util.List.of("endpoint", "format"))).contains("endpoint");
        assertThat(DidYouMean.closest("xyz", java.util.List.of("endpoint"))).isEmpty();
    }
}
