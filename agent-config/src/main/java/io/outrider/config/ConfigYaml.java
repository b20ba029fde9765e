package io.outrider.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.io.StringReader;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Reads configuration text into SnakeYAML's node tree, which keeps the line and column of every node: the binder
 * binds nodes, not a data-bound tree, so that each problem can cite where it is. The same limits apply wherever a
 * configuration is read (the agent, the desktop, the test kit).
 */
public final class ConfigYaml
{
    private ConfigYaml() {}

    /**
     * @param file how messages name the text's file
     * @return the document's root node; empty when the text holds no document (nothing is reported) or is not valid
     *         YAML (the syntax error is added to {@code problems} with its line and column)
     */
    public static Optional<Node> compose(String file, String yaml, ConfigProblems problems)
    {
        requireNonNull(file, "file is null");
        requireNonNull(yaml, "yaml is null");
        requireNonNull(problems, "problems is null");
        LoaderOptions options = new LoaderOptions();
        // duplicates are reported by the binder, with both places
        options.setAllowDuplicateKeys(true);
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit(16 * 1024 * 1024);
        try {
            return Optional.ofNullable(new Yaml(options).compose(new StringReader(yaml)));
        }
        catch (MarkedYAMLException e) {
            problems.add(ConfigLocation.of(file, e.getProblemMark()), "", "invalid YAML: " + e.getProblem());
        }
        catch (YAMLException e) {
            problems.add(new ConfigLocation(file, 0, 0), "", "invalid YAML: " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * The node at a dotted property path below {@code node}, to point a problem a plugin names by property at its
     * place: the deepest node found when the path goes further than the YAML does; {@code null} for an empty path or
     * one that leaves the mappings.
     */
    public static Node find(Node node, String dottedPath)
    {
        if (dottedPath == null || dottedPath.isEmpty()) {
            return null;
        }
        Node current = node;
        for (String part : dottedPath.split("\\.")) {
            if (!(current instanceof MappingNode)) {
                return null;
            }
            Node next = null;
            for (NodeTuple tuple : ((MappingNode) current).getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode && ((ScalarNode) tuple.getKeyNode()).getValue().equals(part)) {
                    next = tuple.getValueNode();
                }
            }
            if (next == null) {
                return current;
            }
            current = next;
        }
        return current;
    }
}
