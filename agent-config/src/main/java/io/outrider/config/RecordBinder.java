package io.outrider.config;

import io.outrider.spi.ComponentFactory;
import io.outrider.spi.DataSize;
import io.outrider.spi.config.Required;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Binds a YAML node tree into a configuration record, collecting every problem with its line and column instead of
 * stopping at the first. The rules are the ones documented on {@link ComponentFactory}: snake_case keys, unknown keys
 * rejected with a suggestion, {@link Required} enforced, values converted by declared type ({@link ScalarValues}
 * turns one scalar's text into a value; this class walks the nodes, substitutes and keeps secrets out of messages).
 *
 * <p>One binder binds one document; it is not thread-safe.
 */
public final class RecordBinder
{
    private static final Object INVALID = new Object();
    /** Shorter substituted values (a port, a flag) are left in messages: hiding them would garble the text. */
    private static final int CONCEALED_MINIMUM_LENGTH = 4;

    private final String file;
    private final ConfigProblems problems;
    private final Substitution substitution;
    private final Secrets secrets;
    /** Values that came from a substitution, with the YAML text they came from: messages show the text, never the value. */
    private final Map<String, String> substituted = new HashMap<>();

    public RecordBinder(String file, ConfigProblems problems, Substitution substitution, Secrets secrets)
    {
        this.file = requireNonNull(file, "file is null");
        this.problems = requireNonNull(problems, "problems is null");
        this.substitution = requireNonNull(substitution, "substitution is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    /**
     * What is being bound, for messages: e.g. "input type 'file' (plugin input-file)".
     *
     * @param subject how unknown/missing property messages name the owner
     * @param sensitive dotted YAML names (relative to the record) whose values are secrets
     * @param ignoredKeys keys at the top level of the mapping that belong to the caller (e.g. {@code type})
     */
    public record Target(String subject, Set<String> sensitive, Set<String> ignoredKeys)
    {
        public Target
        {
            requireNonNull(subject, "subject is null");
            sensitive = Set.copyOf(sensitive);
            ignoredKeys = Set.copyOf(ignoredKeys);
        }
    }

    /**
     * Binds {@code node} (or an empty mapping when {@code null}) into a {@code type} record.
     *
     * @param path the dotted YAML path of the node, for messages
     * @param owner where to report missing properties when {@code node} is {@code null}
     * @return the record, or {@code null} when any problem was found (all of them were recorded)
     */
    public <T extends Record> T bind(Class<T> type, Node node, String path, Node owner, Target target)
    {
        Object value = bindRecord(type, node, path, "", owner, target, true);
        return value == INVALID ? null : type.cast(value);
    }

    /**
     * The record as binding an empty mapping makes it, whatever is {@link Required}: every component absent
     * ({@code null}, or {@code false}/{@code 0} for primitives), so the compact constructor fills in its defaults.
     * For reference docs; the constructor runs with the loader of {@code type} (the plugin's) as context class loader.
     *
     * @return empty when the constructor refuses absent values (it needs a required one to make sense)
     */
    public static <T extends Record> java.util.Optional<T> withAbsentValues(Class<T> type)
    {
        try {
            return java.util.Optional.of(constructWithAbsentValues(type));
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Why {@link #withAbsentValues} is empty for {@code type}: what its constructor threw when given every component
     * absent, in one line; empty when it accepts them. A configuration record must (the agent learns its defaults so).
     */
    public static <T extends Record> java.util.Optional<String> absentValuesRefusal(Class<T> type)
    {
        try {
            constructWithAbsentValues(type);
            return java.util.Optional.empty();
        }
        catch (java.lang.reflect.InvocationTargetException e) {
            return java.util.Optional.of(type.getSimpleName() + "'s constructor threw " + e.getCause() + " with every key absent");
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            return java.util.Optional.of(type.getSimpleName() + " cannot be constructed with every key absent: " + e);
        }
    }

    private static <T extends Record> T constructWithAbsentValues(Class<T> type)
            throws ReflectiveOperationException
    {
        RecordComponent[] components = type.getRecordComponents();
        Object[] arguments = new Object[components.length];
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            parameterTypes[i] = components[i].getType();
            arguments[i] = ScalarValues.absentValue(components[i].getType());
        }
        Constructor<T> constructor = type.getDeclaredConstructor(parameterTypes);
        constructor.setAccessible(true);
        return construct(type, constructor, arguments);
    }

    /**
     * Runs a record's constructor (plugin code: compact constructors fill in defaults and check values) with the
     * loader that defined the record, the plugin's, as context class loader.
     */
    private static <T> T construct(Class<?> type, Constructor<T> constructor, Object[] arguments)
            throws ReflectiveOperationException
    {
        ClassLoader loader = type.getClassLoader();
        if (loader == null) {
            return constructor.newInstance(arguments);
        }
        ClassLoader previous = ThreadContextLoader.enter(loader);
        try {
            return constructor.newInstance(arguments);
        }
        finally {
            ThreadContextLoader.exit(previous, loader);
        }
    }

    private Object bindRecord(Class<?> type, Node node, String path, String relative, Node owner, Target target, boolean top)
    {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        if (node != null && !isNull(node)) {
            if (!(node instanceof MappingNode)) {
                report(node, path, "expected a mapping of properties but found " + describe(node));
                return INVALID;
            }
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple tuple : ((MappingNode) node).getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode)) {
                    report(tuple.getKeyNode(), path, "property names must be plain text");
                    continue;
                }
                String key = ((ScalarNode) tuple.getKeyNode()).getValue();
                Node previous = seen.putIfAbsent(key, tuple.getKeyNode());
                if (previous != null) {
                    report(tuple.getKeyNode(), join(path, key), "duplicate property '" + key + "' (first defined at " + ConfigLocation.of(file, previous) + ")");
                    continue;
                }
                if (top && target.ignoredKeys().contains(key)) {
                    continue;
                }
                entries.put(key, tuple);
            }
        }
        RecordComponent[] components = type.getRecordComponents();
        Map<String, RecordComponent> byName = new LinkedHashMap<>();
        for (RecordComponent component : components) {
            byName.put(ComponentFactory.snakeCase(component.getName()), component);
        }
        boolean valid = true;
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            if (!byName.containsKey(entry.getKey())) {
                Set<String> known = new LinkedHashSet<>(byName.keySet());
                String hint = DidYouMean.closest(entry.getKey(), known)
                        .map(candidate -> "; did you mean '" + candidate + "'?")
                        .orElse(known.isEmpty() ? "; it takes no properties" : "; known properties: " + String.join(", ", known));
                report(entry.getValue().getKeyNode(), join(path, entry.getKey()), "unknown property '" + entry.getKey() + "' for " + target.subject() + hint);
                valid = false;
            }
        }
        Object[] arguments = new Object[components.length];
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String name = ComponentFactory.snakeCase(component.getName());
            parameterTypes[i] = component.getType();
            NodeTuple tuple = entries.get(name);
            Node valueNode = tuple == null ? null : tuple.getValueNode();
            if (valueNode == null || isNull(valueNode)) {
                if (component.isAnnotationPresent(Required.class)) {
                    Node where = valueNode != null ? valueNode : node != null ? node : owner;
                    report(where, join(path, name), "missing required property '" + name + "' for " + target.subject());
                    valid = false;
                }
                arguments[i] = ScalarValues.absentValue(component.getType());
                continue;
            }
            String relativeName = relative.isEmpty() ? name : relative + "." + name;
            Object value = convert(component.getGenericType(), valueNode, join(path, name), relativeName, target);
            if (value == INVALID) {
                valid = false;
            }
            else {
                arguments[i] = value;
            }
        }
        if (!valid) {
            return INVALID;
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
            return construct(type, constructor, arguments);
        }
        catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : secrets.redact(conceal(cause.getMessage()));
            if (!(cause instanceof IllegalArgumentException)) {
                // IllegalArgumentException is how a record refuses a value; anything else (a NullPointerException on a
                // missing optional key) read as the operator's mistake, with nothing to fix in the configuration
                message = "the configuration record " + type.getSimpleName() + " failed on these settings, a bug in its plugin rather than in the"
                        + " configuration: " + cause.getClass().getSimpleName() + ": " + message;
            }
            report(node != null ? node : owner, path, message);
            return INVALID;
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            report(node != null ? node : owner, path, "cannot create " + type.getSimpleName() + ": " + e);
            return INVALID;
        }
    }

    private Object convert(Type type, Node node, String path, String relative, Target target)
    {
        Class<?> raw = rawClass(type);
        if (raw == Object.class) {
            return plainValue(node, path, relative, target);
        }
        if (raw.isRecord() && raw != DataSize.class) {
            return bindRecord(raw, node, path, relative, node, target, false);
        }
        if (List.class == raw || Collection.class == raw || Set.class == raw) {
            if (!(node instanceof SequenceNode)) {
                report(node, path, "expected a list but found " + describe(node) + (node instanceof ScalarNode ? "; write it as [value]" : ""));
                return INVALID;
            }
            Type elementType = typeArgument(type, 0);
            List<Object> values = new ArrayList<>();
            boolean valid = true;
            List<Node> elements = ((SequenceNode) node).getValue();
            for (int i = 0; i < elements.size(); i++) {
                Node element = elements.get(i);
                if (isNull(element)) {
                    report(element, path + "[" + i + "]", "list element is empty");
                    valid = false;
                    continue;
                }
                Object value = convert(elementType, element, path + "[" + i + "]", relative, target);
                if (value == INVALID) {
                    valid = false;
                }
                else {
                    values.add(value);
                }
            }
            if (!valid) {
                return INVALID;
            }
            return raw == Set.class ? Collections.unmodifiableSet(new LinkedHashSet<>(values)) : Collections.unmodifiableList(values);
        }
        if (Map.class == raw) {
            if (!(node instanceof MappingNode)) {
                report(node, path, "expected a mapping but found " + describe(node));
                return INVALID;
            }
            Type valueType = typeArgument(type, 1);
            Map<String, Object> values = new LinkedHashMap<>();
            boolean valid = true;
            for (NodeTuple tuple : ((MappingNode) node).getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode)) {
                    report(tuple.getKeyNode(), path, "keys must be plain text");
                    valid = false;
                    continue;
                }
                String key = ((ScalarNode) tuple.getKeyNode()).getValue();
                if (values.containsKey(key)) {
                    report(tuple.getKeyNode(), join(path, key), "duplicate key '" + key + "'");
                    valid = false;
                    continue;
                }
                Object value = isNull(tuple.getValueNode()) ? null : convert(valueType, tuple.getValueNode(), join(path, key), relative + "." + key, target);
                if (value == INVALID) {
                    valid = false;
                }
                else {
                    values.put(key, value);
                }
            }
            return valid ? Collections.unmodifiableMap(values) : INVALID;
        }
        if (!(node instanceof ScalarNode)) {
            report(node, path, "expected " + ScalarValues.expectation(raw) + " but found " + describe(node));
            return INVALID;
        }
        boolean sensitive = isSensitive(target, relative);
        String written = ((ScalarNode) node).getValue();
        Substitution.Result resolved = substitution.resolve(written);
        if (resolved.isError()) {
            report(node, path, resolved.error());
            return INVALID;
        }
        resolved.warning().ifPresent(warning -> System.getLogger("outrider.config").log(System.Logger.Level.WARNING, ConfigLocation.of(file, node) + ": " + warning));
        String text = resolved.value();
        if (sensitive || resolved.fromFile()) {
            secrets.register(text);
        }
        remember(written, text, node, path, relative, sensitive);
        try {
            return ScalarValues.convert(raw, text);
        }
        catch (IllegalArgumentException e) {
            // neither a secret nor what a ${VAR} holds is ever echoed: a mistyped field may hold the key
            boolean fromVariable = isSubstitution(written);
            String detail = e.getMessage() == null ? "" : e.getMessage();
            String shown;
            if (sensitive) {
                shown = "the value";
                detail = !text.isBlank() && detail.contains(text.trim()) ? "" : detail;
            }
            else if (fromVariable) {
                shown = "the value of " + written;
                detail = text.isBlank() ? detail : detail.replace(text.trim(), written);
            }
            else {
                shown = "'" + text + "'";
            }
            // names only a valid constant, never the value: safe for a secret or a ${VAR} too
            String suggestion = raw.isEnum() ? DidYouMean.suffix(text.trim().replace('-', '_'), ScalarValues.enumNames(raw)) : "";
            report(node, path, "expected " + ScalarValues.expectation(raw) + " but found " + shown + (detail.isEmpty() ? "" : " (" + secrets.redact(detail) + ")") + suggestion);
            return INVALID;
        }
    }

    /** A value of {@code sensitive} or a {@link Map} value below such a property ({@code headers.Authorization}). */
    private static boolean isSensitive(Target target, String relative)
    {
        for (int dot = relative.indexOf('.'); dot >= 0; dot = relative.indexOf('.', dot + 1)) {
            if (target.sensitive().contains(relative.substring(0, dot))) {
                return true;
            }
        }
        return target.sensitive().contains(relative);
    }

    private static boolean isSubstitution(String written)
    {
        return written.contains("${");
    }

    /**
     * Remembers what a substitution produced, for {@link #conceal}, and warns about a secret written in the file
     * itself: whoever can read the configuration can read it.
     */
    private void remember(String written, String value, Node node, String path, String relative, boolean sensitive)
    {
        if (isSubstitution(written)) {
            if (value.length() >= CONCEALED_MINIMUM_LENGTH) {
                substituted.put(value, written);
            }
        }
        else if (sensitive && !written.isEmpty()) {
            String name = relative.substring(relative.lastIndexOf('.') + 1);
            String variable = "OUTRIDER_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
            System.getLogger("outrider.config").log(System.Logger.Level.WARNING, ConfigLocation.of(file, node) + ": " + path
                    + " is written in the configuration in plain text, where anyone who can read the file can read it; write " + name
                    + ": \"${" + variable + "}\" and put " + variable + "=... in the agent's env file (mode 0600, e.g. /etc/outrider/agent.env)");
        }
    }

    /** A message a plugin wrote about the bound configuration, safe to show: concealed, then redacted. */
    String shown(String message)
    {
        return secrets.redact(conceal(message));
    }

    /**
     * {@code message} with every value that came from a substitution replaced by the text it came from
     * ({@code ${VAR}}, {@code ${file:...}}): for messages a plugin wrote about the bound configuration.
     */
    public String conceal(String message)
    {
        if (message == null || substituted.isEmpty()) {
            return message;
        }
        List<Map.Entry<String, String>> values = new ArrayList<>(substituted.entrySet());
        // longest first, so that a value containing another is replaced whole
        values.sort((a, b) -> Integer.compare(b.getKey().length(), a.getKey().length()));
        String result = message;
        for (Map.Entry<String, String> value : values) {
            result = result.replace(value.getKey(), value.getValue());
        }
        return result;
    }

    private Object plainValue(Node node, String path, String relative, Target target)
    {
        if (node instanceof ScalarNode) {
            ScalarNode scalar = (ScalarNode) node;
            Substitution.Result resolved = substitution.resolve(scalar.getValue());
            if (resolved.isError()) {
                report(node, path, resolved.error());
                return INVALID;
            }
            boolean sensitive = isSensitive(target, relative);
            if (resolved.fromFile() || sensitive) {
                secrets.register(resolved.value());
            }
            String text = resolved.value();
            remember(scalar.getValue(), text, node, path, relative, sensitive);
            Tag tag = scalar.getTag();
            try {
                if (Tag.INT.equals(tag)) {
                    return ScalarValues.parseLong(text);
                }
                if (Tag.FLOAT.equals(tag)) {
                    return Double.parseDouble(text);
                }
                if (Tag.BOOL.equals(tag)) {
                    return ScalarValues.convert(Boolean.class, text);
                }
            }
            catch (IllegalArgumentException e) {
                return text;
            }
            return text;
        }
        if (node instanceof SequenceNode) {
            List<Object> values = new ArrayList<>();
            for (Node element : ((SequenceNode) node).getValue()) {
                Object value = isNull(element) ? null : plainValue(element, path, relative, target);
                if (value == INVALID) {
                    return INVALID;
                }
                values.add(value);
            }
            return Collections.unmodifiableList(values);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode ? ((ScalarNode) tuple.getKeyNode()).getValue() : String.valueOf(tuple.getKeyNode());
            Object value = isNull(tuple.getValueNode()) ? null : plainValue(tuple.getValueNode(), join(path, key), relative, target);
            if (value == INVALID) {
                return INVALID;
            }
            values.put(key, value);
        }
        return Collections.unmodifiableMap(values);
    }

    void report(Node node, String path, String message)
    {
        problems.add(node == null ? new ConfigLocation(file, 0, 0) : ConfigLocation.of(file, node), path, message);
    }

    /** A YAML null: {@code ~}, {@code null} or nothing after the colon. */
    public static boolean isNull(Node node)
    {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** How messages name what was found instead: "a mapping", "a list" or the scalar's text in quotes. */
    public static String describe(Node node)
    {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    private static Class<?> rawClass(Type type)
    {
        if (type instanceof Class) {
            return (Class<?>) type;
        }
        if (type instanceof ParameterizedType) {
            return (Class<?>) ((ParameterizedType) type).getRawType();
        }
        if (type instanceof WildcardType) {
            return rawClass(((WildcardType) type).getUpperBounds()[0]);
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index)
    {
        if (type instanceof ParameterizedType) {
            Type[] arguments = ((ParameterizedType) type).getActualTypeArguments();
            if (index < arguments.length) {
                return arguments[index];
            }
        }
        return Object.class;
    }

    static String join(String path, String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }
}
