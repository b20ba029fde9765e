package io.outrider.desktop;

import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.CollectionNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A YAML configuration as text, edited by splicing: {@link #set} and {@link #remove} change the text of one key and
 * nothing else, so comments, ordering, quoting and every part the caller does not touch stay byte for byte. Node
 * positions come from SnakeYAML's composed tree (the same parser the agent uses). Only block-style mappings can be
 * edited; a flow-style mapping ({@code {a: 1}}) on the way to a key is refused with {@link YamlEditException}.
 */
public final class YamlDocument
{
    private static final int INDENT_STEP = 2;

    private final String text;

    private YamlDocument(String text)
    {
        this.text = requireNonNull(text, "text is null");
    }

    /** @throws YamlEditException when the text is not YAML or its top level is not a mapping */
    public static YamlDocument parse(String text)
    {
        YamlDocument document = new YamlDocument(text);
        document.root();
        return document;
    }

    public String text()
    {
        return text;
    }

    /** The node at {@code path} (mapping keys from the top), if every key on the way exists. */
    public Optional<Node> node(List<String> path)
    {
        Node node = root().orElse(null);
        for (String key : path) {
            if (!(node instanceof MappingNode mapping)) {
                return Optional.empty();
            }
            node = find(mapping, key).map(NodeTuple::getValueNode).orElse(null);
        }
        return Optional.ofNullable(node);
    }

    /** The keys of the mapping at {@code path}, in the file's order; empty when it is absent or not a mapping. */
    public List<String> keys(List<String> path)
    {
        Optional<Node> node = path.isEmpty() ? root() : node(path);
        if (node.isEmpty() || !(node.get() instanceof MappingNode mapping)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key) {
                keys.add(key.getValue());
            }
        }
        return List.copyOf(keys);
    }

    /** The plain value of a scalar at {@code path}; empty when absent, empty or not a scalar. */
    public Optional<String> scalar(List<String> path)
    {
        return node(path)
                .filter(ScalarNode.class::isInstance)
                .map(node -> ((ScalarNode) node).getValue())
                .filter(value -> !value.isEmpty());
    }

    /** The scalar items of a sequence at {@code path}; a single scalar counts as a one-item list. */
    public List<String> strings(List<String> path)
    {
        Optional<Node> node = node(path);
        if (node.isEmpty()) {
            return List.of();
        }
        if (node.get() instanceof ScalarNode scalar) {
            return scalar.getValue().isEmpty() ? List.of() : List.of(scalar.getValue());
        }
        List<String> values = new ArrayList<>();
        if (node.get() instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                if (item instanceof ScalarNode scalar) {
                    values.add(scalar.getValue());
                }
            }
        }
        return List.copyOf(values);
    }

    /**
     * The document with {@code path} set to {@code value}: a {@link String} (written as a plain scalar when that
     * reads back as the same string, else double-quoted) or a {@code List<String>} (a block sequence). Missing
     * mappings on the way are created at the end of their parent.
     */
    public YamlDocument set(List<String> path, Object value)
    {
        requireNonNull(value, "value is null");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path is empty");
        }
        Optional<Node> rootNode = root();
        if (rootNode.isEmpty()) {
            String separator = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
            return new YamlDocument(text + separator + render(path, value, 0) + "\n");
        }
        MappingNode mapping = (MappingNode) rootNode.get();
        for (int i = 0; i < path.size(); i++) {
            String key = path.get(i);
            requireBlock(mapping, path.subList(0, i));
            Optional<NodeTuple> tuple = find(mapping, key);
            List<String> rest = path.subList(i, path.size());
            if (tuple.isEmpty()) {
                return insert(mapping, rest, value);
            }
            Node child = tuple.get().getValueNode();
            boolean last = i == path.size() - 1;
            if (last || isEmptyScalar(child)) {
                return replace(tuple.get(), rest, value);
            }
            if (!(child instanceof MappingNode childMapping)) {
                throw new YamlEditException("'" + String.join(".", path.subList(0, i + 1)) + "' is not a mapping; cannot set '" + String.join(".", path) + "' inside it");
            }
            mapping = childMapping;
        }
        throw new IllegalStateException("unreachable");
    }

    /** The document without the key at {@code path} (its whole line or lines); unchanged when it is absent. */
    public YamlDocument remove(List<String> path)
    {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path is empty");
        }
        Optional<Node> parent = path.size() == 1 ? root() : node(path.subList(0, path.size() - 1));
        if (parent.isEmpty() || !(parent.get() instanceof MappingNode mapping)) {
            return this;
        }
        Optional<NodeTuple> tuple = find(mapping, path.get(path.size() - 1));
        if (tuple.isEmpty()) {
            return this;
        }
        requireBlock(mapping, path.subList(0, path.size() - 1));
        int start = lineStart(offset(tuple.get().getKeyNode().getStartMark()));
        int end = lineEnd(contentEnd(tuple.get()));
        if (end < text.length()) {
            end++; // the newline
        }
        return new YamlDocument(text.substring(0, start) + text.substring(end));
    }

    /**
     * The document with the mapping at {@code path} rewritten from flow style ({@code {type: file, paths: [a]}}) into an
     * indented block, each entry's text kept as it is, so that its keys can be edited; unchanged when it is absent,
     * empty or already a block. The mappings above it must be blocks.
     */
    public YamlDocument blockStyle(List<String> path)
    {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path is empty");
        }
        Optional<Node> parent = path.size() == 1 ? root() : node(path.subList(0, path.size() - 1));
        if (parent.isEmpty() || !(parent.get() instanceof MappingNode parentMapping)) {
            return this;
        }
        Optional<NodeTuple> tuple = find(parentMapping, path.get(path.size() - 1));
        if (tuple.isEmpty() || !(tuple.get().getValueNode() instanceof MappingNode mapping) || mapping.getFlowStyle() != FlowStyle.FLOW || mapping.getValue().isEmpty()) {
            return this;
        }
        requireBlock(parentMapping, path.subList(0, path.size() - 1));
        String indent = " ".repeat(tuple.get().getKeyNode().getStartMark().getColumn() + INDENT_STEP);
        StringBuilder block = new StringBuilder();
        for (NodeTuple entry : mapping.getValue()) {
            block.append('\n').append(indent)
                    .append(text, offset(entry.getKeyNode().getStartMark()), offset(entry.getKeyNode().getEndMark()))
                    .append(": ")
                    .append(text, offset(entry.getValueNode().getStartMark()), offset(entry.getValueNode().getEndMark()));
        }
        // from just after "key:" to the closing brace; a comment after the brace stays on the last line
        int start = offset(tuple.get().getKeyNode().getEndMark());
        int colon = text.indexOf(':', start);
        return new YamlDocument(text.substring(0, colon + 1) + block + text.substring(offset(mapping.getEndMark())));
    }

    /**
     * The document without {@code path}, and without the mappings above it that this leaves empty, up to but not
     * including the first {@code keep} keys of the path (an empty {@code log:} would be left behind otherwise).
     */
    public YamlDocument removePruning(List<String> path, int keep)
    {
        YamlDocument edited = remove(path);
        for (int depth = path.size() - 1; depth > keep; depth--) {
            List<String> parent = path.subList(0, depth);
            Optional<Node> node = edited.node(parent);
            if (node.isEmpty() || !isEmptyScalar(node.get())) {
                break;
            }
            edited = edited.remove(parent);
        }
        return edited;
    }

    private YamlDocument replace(NodeTuple tuple, List<String> path, Object value)
    {
        int keyStart = offset(tuple.getKeyNode().getStartMark());
        int column = tuple.getKeyNode().getStartMark().getColumn();
        int end = contentEnd(tuple);
        String rendered = render(path, value, column);
        // the first line of the rendering starts where the key starts: drop its indentation
        return new YamlDocument(text.substring(0, keyStart) + rendered.substring(column) + text.substring(end));
    }

    private YamlDocument insert(MappingNode mapping, List<String> path, Object value)
    {
        if (mapping.getValue().isEmpty()) {
            throw new YamlEditException("cannot add '" + path.get(0) + "' to an empty mapping");
        }
        int column = mapping.getValue().get(0).getKeyNode().getStartMark().getColumn();
        NodeTuple lastTuple = mapping.getValue().get(mapping.getValue().size() - 1);
        int at = lineEnd(contentEnd(lastTuple));
        return new YamlDocument(text.substring(0, at) + "\n" + render(path, value, column) + text.substring(at));
    }

    /** {@code path[0]:} ... {@code path[n-1]: value}, each level two columns deeper, no final newline. */
    private static String render(List<String> path, Object value, int column)
    {
        StringBuilder out = new StringBuilder();
        int indent = column;
        for (int i = 0; i < path.size(); i++) {
            if (i > 0) {
                out.append('\n');
            }
            out.append(" ".repeat(indent)).append(scalarText(path.get(i))).append(':');
            if (i < path.size() - 1) {
                indent += INDENT_STEP;
            }
        }
        if (value instanceof String string) {
            out.append(' ').append(scalarText(string));
        }
        else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append(" []");
            }
            for (Object item : list) {
                out.append('\n').append(" ".repeat(indent + INDENT_STEP)).append("- ").append(scalarText((String) item));
            }
        }
        else {
            throw new IllegalArgumentException("value must be a String or a List<String>, not " + value.getClass().getName());
        }
        return out.toString();
    }

    /** Plain when the plain text reads back as the same string (no type, comment or indicator surprises), else quoted. */
    static String scalarText(String value)
    {
        if (!value.isEmpty() && !value.contains("\n") && value.strip().equals(value)) {
            try {
                Object read = new Yaml().load("k: " + value);
                if (read instanceof Map<?, ?> map && map.size() == 1 && value.equals(map.get("k"))) {
                    return value;
                }
            }
            catch (YAMLException e) {
                // not plain-safe: quote it
            }
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    }
                    else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private Optional<Node> root()
    {
        Node node;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true);
            options.setMaxAliasesForCollections(50);
            node = new Yaml(options).compose(new StringReader(text));
        }
        catch (YAMLException e) {
            throw new YamlEditException("the file is not valid YAML: " + e.getMessage());
        }
        if (node == null) {
            return Optional.empty();
        }
        if (!(node instanceof MappingNode)) {
            throw new YamlEditException("the top level of the file is not a mapping");
        }
        return Optional.of(node);
    }

    private static void requireBlock(MappingNode mapping, List<String> path)
    {
        if (mapping.getFlowStyle() == FlowStyle.FLOW) {
            throw new YamlEditException("'" + String.join(".", path) + "' is written in flow style ({...}); write it as an indented block to edit it here");
        }
    }

    private static Optional<NodeTuple> find(MappingNode mapping, String key)
    {
        NodeTuple found = null;
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                found = tuple; // the last one wins, as when the agent reads duplicates
            }
        }
        return Optional.ofNullable(found);
    }

    private static boolean isEmptyScalar(Node node)
    {
        return node instanceof ScalarNode scalar && scalar.getValue().isEmpty() && scalar.getStartMark().getIndex() == scalar.getEndMark().getIndex();
    }

    /** Where the text of an entry ends: block collections' own end marks run on into the next key's comments. */
    private int contentEnd(NodeTuple tuple)
    {
        return Math.max(offset(tuple.getKeyNode().getEndMark()), contentEnd(tuple.getValueNode()));
    }

    private int contentEnd(Node node)
    {
        if (node instanceof CollectionNode<?> collection && collection.getFlowStyle() == FlowStyle.BLOCK) {
            if (node instanceof MappingNode mapping && !mapping.getValue().isEmpty()) {
                return contentEnd(mapping.getValue().get(mapping.getValue().size() - 1));
            }
            if (node instanceof SequenceNode sequence && !sequence.getValue().isEmpty()) {
                return contentEnd(sequence.getValue().get(sequence.getValue().size() - 1));
            }
            return offset(node.getStartMark());
        }
        if (node instanceof ScalarNode scalar && (scalar.getScalarStyle() == ScalarStyle.LITERAL || scalar.getScalarStyle() == ScalarStyle.FOLDED)) {
            // a block scalar ends after its last line's newline; stop before it
            int end = offset(node.getEndMark());
            while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
                end--;
            }
            return end;
        }
        return offset(node.getEndMark());
    }

    /** SnakeYAML counts code points; Java strings count UTF-16 units. */
    private int offset(Mark mark)
    {
        return text.offsetByCodePoints(0, Math.min(mark.getIndex(), text.codePointCount(0, text.length())));
    }

    private int lineStart(int offset)
    {
        return text.lastIndexOf('\n', offset - 1) + 1;
    }

    private int lineEnd(int offset)
    {
        int newline = text.indexOf('\n', offset);
        if (newline < 0) {
            return text.length();
        }
        return newline > 0 && text.charAt(newline - 1) == '\r' ? newline - 1 : newline;
    }

    /** An edit the document cannot make; the message says why in terms of the file. */
    public static final class YamlEditException
            extends RuntimeException
    {
        public YamlEditException(String message)
        {
            super(message);
        }
    }
}
