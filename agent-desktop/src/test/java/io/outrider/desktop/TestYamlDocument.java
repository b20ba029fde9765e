package io.outrider.desktop;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestYamlDocument
{
    private static final String CONFIG = """
            # header comment
            agent:
              status:
                enabled: true   # keep me
              buffer: {max_bytes: 64MiB}

            # about pipelines
            pipelines:
              other:
                inputs:
                  a: {type: file, paths: ["/x"]}
                outputs:
                  c:
                    type: console   # trailing
            # tail comment
            """;

    @Test
    void blockStyleRewritesAFlowMappingKeepingEachEntryAsWritten()
    {
        YamlDocument document = YamlDocument.parse("""
                outputs:
                  lognog: {type: http, "format": lognog, delivery: {max_events: 5}, tags: [a, "b c"]}  # imported
                  other: {type: console}
                """);
        YamlDocument block = document.blockStyle(List.of("outputs", "lognog"));
        assertThat(block.text()).isEqualTo("""
                outputs:
                  lognog:
                    type: http
                    "format": lognog
                    delivery: {max_events: 5}
                    tags: [a, "b c"]  # imported
                  other: {type: console}
                """);
        // a block, an absent key and an empty mapping stay as they are
        assertThat(block.blockStyle(List.of("outputs", "lognog")).text()).isEqualTo(block.text());
        assertThat(document.blockStyle(List.of("outputs", "missing")).text()).isEqualTo(document.text());
        assertThat(YamlDocument.parse("a: {}\n").blockStyle(List.of("a")).text()).isEqualTo("a: {}\n");
        // and the block takes edits
        assertThat(block.set(List.of("outputs", "lognog", "format"), "litesoc").text()).contains("    format: litesoc\n");
        // inside a flow mapping there is nothing to rewrite into
        assertThatThrownBy(() -> YamlDocument.parse("a: {b: {c: 1}}\n").blockStyle(List.of("a", "b")))
                .isInstanceOf(YamlDocument.YamlEditException.class)
                .hasMessage("'a' is written in flow style ({...}); write it as an indented block to edit it here");
    }

    @Test
    void replacesOnlyTheValueOfAnExistingScalar()
    {
        YamlDocument edited = YamlDocument.parse(CONFIG).set(List.of("agent", "status", "enabled"), "false");
        assertThat(edited.text()).isEqualTo(CONFIG.replace("enabled: true   # keep me", "enabled: \"false\"   # keep me"));
    }

    @Test
    void insertsMissingKeysAtTheEndOfTheirParentKeepingComments()
    {
        YamlDocument edited = YamlDocument.parse(CONFIG)
                .set(List.of("agent", "host_name"), "web-01")
                .set(List.of("pipelines", "desktop", "inputs", "watched_files", "paths"), List.of("/var/log/*.log", "*.txt"));
        assertThat(edited.text()).isEqualTo("""
                # header comment
                agent:
                  status:
                    enabled: true   # keep me
                  buffer: {max_bytes: 64MiB}
                  host_name: web-01

                # about pipelines
                pipelines:
                  other:
                    inputs:
                      a: {type: file, paths: ["/x"]}
                    outputs:
                      c:
                        type: console   # trailing
                  desktop:
                    inputs:
                      watched_files:
                        paths:
                          - /var/log/*.log
                          - "*.txt"
                # tail comment
                """);
        assertThat(edited.strings(List.of("pipelines", "desktop", "inputs", "watched_files", "paths"))).containsExactly("/var/log/*.log", "*.txt");
    }

    @Test
    void replacesABlockWithAList()
    {
        YamlDocument document = YamlDocument.parse("a:\n  b:\n    - one\n    - two\n  c: 1\n");
        assertThat(document.set(List.of("a", "b"), List.of("three")).text()).isEqualTo("a:\n  b:\n    - three\n  c: 1\n");
        assertThat(document.set(List.of("a", "b"), List.of()).text()).isEqualTo("a:\n  b: []\n  c: 1\n");
    }

    @Test
    void fillsAnEmptyValue()
    {
        YamlDocument document = YamlDocument.parse("agent:\npipelines:\n  p: {}\n");
        assertThat(document.set(List.of("agent", "log", "level"), "debug").text()).isEqualTo("agent:\n  log:\n    level: debug\npipelines:\n  p: {}\n");
    }

    @Test
    void startsAnEmptyDocument()
    {
        assertThat(YamlDocument.parse("").set(List.of("agent", "host_name"), "x").text()).isEqualTo("agent:\n  host_name: x\n");
        assertThat(YamlDocument.parse("# only a comment").set(List.of("a"), "b").text()).isEqualTo("# only a comment\na: b\n");
    }

    @Test
    void removesWholeEntriesAndNothingElse()
    {
        YamlDocument document = YamlDocument.parse(CONFIG);
        assertThat(document.remove(List.of("pipelines", "other", "outputs")).text()).isEqualTo(CONFIG.replace("""
                    outputs:
                      c:
                        type: console   # trailing
                """, ""));
        assertThat(document.remove(List.of("agent", "missing")).text()).isEqualTo(CONFIG);
        assertThat(document.remove(List.of("nothing", "here")).text()).isEqualTo(CONFIG);
    }

    @Test
    void quotesWhatWouldNotReadBackAsTheSameString()
    {
        assertThat(YamlDocument.scalarText("https://collector.example:8443/api")).isEqualTo("https://collector.example:8443/api");
        assertThat(YamlDocument.scalarText("${file:desktop-api-key}")).isEqualTo("${file:desktop-api-key}");
        assertThat(YamlDocument.scalarText("true")).isEqualTo("\"true\"");
        assertThat(YamlDocument.scalarText("*.log")).isEqualTo("\"*.log\"");
        assertThat(YamlDocument.scalarText("a # b")).isEqualTo("\"a # b\"");
        assertThat(YamlDocument.scalarText("C:\\logs")).isEqualTo("C:\\logs");
        assertThat(YamlDocument.scalarText("\"quoted\" \\ x")).isEqualTo("\"\\\"quoted\\\" \\\\ x\"");
        assertThat(YamlDocument.scalarText("")).isEqualTo("\"\"");
    }

    @Test
    void countsPositionsInCharactersNotCodePoints()
    {
        String text = "title: \"\uD83D\uDE80 rocket\"\nagent:\n  host_name: a\n";
        assertThat(YamlDocument.parse(text).set(List.of("agent", "host_name"), "b").text()).isEqualTo(text.replace("host_name: a", "host_name: b"));
    }

    @Test
    void refusesToEditFlowStyleMappings()
    {
        assertThatThrownBy(() -> YamlDocument.parse("agent: {status: {enabled: true}}\n").set(List.of("agent", "host_name"), "x"))
                .isInstanceOf(YamlDocument.YamlEditException.class)
                .hasMessage("'agent' is written in flow style ({...}); write it as an indented block to edit it here");
        assertThatThrownBy(() -> YamlDocument.parse("- a\n- b\n"))
                .isInstanceOf(YamlDocument.YamlEditException.class)
                .hasMessage("the top level of the file is not a mapping");
    }
}
