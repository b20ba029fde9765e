package io.outrider.core.config;

import io.outrider.config.ComponentBinder;
import io.outrider.config.ConfigLocation;
import io.outrider.config.ConfigProblems;
import io.outrider.config.ConfigYaml;
import io.outrider.config.DidYouMean;
import io.outrider.config.InvalidConfigurationException;
import io.outrider.config.RecordBinder;
import io.outrider.config.Substitution;
import io.outrider.core.control.ListenAddress;
import io.outrider.core.plugin.ComponentKind;
import io.outrider.core.plugin.PluginLoadProblem;
import io.outrider.core.plugin.PluginRegistry;
import io.outrider.core.plugin.RegisteredFactory;
import io.outrider.spi.ComponentFactory;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Reads a configuration file into an {@link AgentConfiguration}, reporting every problem at once.
 *
 * <p>Two phases, because the {@code agent:} section names the plugins directory: {@link #parse} reads the YAML and
 * binds the agent section; the caller loads plugins; {@link #bind} binds the pipelines against them and runs every
 * factory's {@link ComponentFactory#validate}. Problems of both phases are reported together by {@code bind}.
 */
public final class ConfigLoader
{
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("agent", "pipelines");
    private static final Set<String> PIPELINE_KEYS = Set.of("inputs", "parsers", "outputs", "unmatched");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Map<String, String> environment;
    private final AgentDefaults defaults;
    private final SecretRegistry secrets;

    public ConfigLoader(Map<String, String> environment, AgentDefaults defaults, SecretRegistry secrets)
    {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.defaults = requireNonNull(defaults, "defaults is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    /** The outcome of phase one; carries its problems on to {@link #bind}. */
    public static final class ParsedConfig
    {
        private final Optional<Path> file;
        private final String displayName;
        private final MappingNode root;
        private final AgentSettings agent;
        private final ConfigProblems problems;
        private final RecordBinder binder;

        private ParsedConfig(Optional<Path> file, String displayName, MappingNode root, AgentSettings agent, ConfigProblems problems, RecordBinder binder)
        {
            this.file = file;
            this.displayName = displayName;
            this.root = root;
            this.agent = agent;
            this.problems = problems;
            this.binder = binder;
        }

        /** The agent settings (defaults where the section had errors), needed to find the plugins. */
        public AgentSettings agent()
        {
            return agent;
        }
    }

    /**
     * Phase one: YAML syntax, top-level keys, the agent section.
     *
     * @param file the file the text came from, if any (relative {@code ${file:}} paths resolve against its folder)
     * @param displayName how messages name the file
     */
    public ParsedConfig parse(Optional<Path> file, String displayName, String yaml)
    {
        ConfigProblems problems = new ConfigProblems();
        Path base = file.map(path -> path.toAbsolutePath().getParent()).orElse(Path.of("").toAbsolutePath());
        Substitution substitution = new Substitution(environment, base);
        RecordBinder binder = new RecordBinder(displayName, problems, substitution, secrets);
        MappingNode root = null;
        int syntaxProblems = problems.size();
        Optional<Node> node = ConfigYaml.compose(displayName, yaml, problems);
        if (node.isEmpty()) {
            if (problems.size() == syntaxProblems) {
                problems.add(new ConfigLocation(displayName, 1, 1), "", "the configuration is empty; it needs at least one pipeline under 'pipelines:'");
            }
        }
        else if (!(node.get() instanceof MappingNode)) {
            problems.add(ConfigLocation.of(displayName, node.get()), "", "expected a mapping with 'agent:' and 'pipelines:' but found " + RecordBinder.describe(node.get()));
        }
        else {
            root = (MappingNode) node.get();
        }

        Map<String, NodeTuple> top = root == null ? Map.of() : entries(root, "", displayName, problems);
        for (Map.Entry<String, NodeTuple> entry : top.entrySet()) {
            if (!TOP_LEVEL_KEYS.contains(entry.getKey())) {
                problems.add(ConfigLocation.of(displayName, entry.getValue().getKeyNode()), entry.getKey(),
                        "unknown section '" + entry.getKey() + "'" + suggestion(entry.getKey(), TOP_LEVEL_KEYS, "sections are agent and pipelines"));
            }
        }
        NodeTuple agentTuple = top.get("agent");
        AgentSettings bound = binder.bind(AgentSettings.class, agentTuple == null ? null : agentTuple.getValueNode(), "agent", root,
                new RecordBinder.Target("the agent section", Set.of(), Set.of()));
        AgentSettings agent = withDefaults(bound == null ? new AgentSettings(null, null, null, null, null, null, null, null) : bound);
        substitution.setFilePermissionPolicy(agent.secretFilePermissions());
        if (agentTuple != null) {
            checkStatusListen(agent.status(), agentTuple.getValueNode(), displayName, problems);
        }
        return new ParsedConfig(file, displayName, root, agent, problems, binder);
    }

    /**
     * The {@code agent:} section alone, for commands that only talk to a running agent ({@code status}, {@code tap},
     * {@code top}, {@code control}): its pipelines are not bound, so their secrets need not be readable here — an
     * operator's shell usually cannot read the service's env file.
     *
     * @throws InvalidConfigurationException with the problems of the YAML and the {@code agent:} section
     */
    public AgentSettings agentSection(ParsedConfig parsed)
            throws InvalidConfigurationException
    {
        parsed.problems.throwIfAny(secrets);
        return parsed.agent;
    }

    /**
     * Phase two: pipelines and their components against the loaded plugins.
     *
     * @throws InvalidConfigurationException with every problem of both phases
     */
    public AgentConfiguration bind(ParsedConfig parsed, PluginRegistry registry)
            throws InvalidConfigurationException
    {
        ConfigProblems problems = parsed.problems;
        List<PipelineSpec> pipelines = new ArrayList<>();
        if (parsed.root != null) {
            Map<String, NodeTuple> top = entries(parsed.root, "", parsed.displayName, new ConfigProblems());
            NodeTuple pipelinesTuple = top.get("pipelines");
            if (pipelinesTuple == null || RecordBinder.isNull(pipelinesTuple.getValueNode())) {
                problems.add(ConfigLocation.of(parsed.displayName, pipelinesTuple == null ? parsed.root : pipelinesTuple.getKeyNode()), "pipelines",
                        "no pipelines are configured; add at least one under 'pipelines:'");
            }
            else if (!(pipelinesTuple.getValueNode() instanceof MappingNode)) {
                problems.add(ConfigLocation.of(parsed.displayName, pipelinesTuple.getValueNode()), "pipelines",
                        "expected a mapping of pipeline ids to pipelines but found " + RecordBinder.describe(pipelinesTuple.getValueNode()));
            }
            else {
                Map<String, NodeTuple> byId = entries((MappingNode) pipelinesTuple.getValueNode(), "pipelines", parsed.displayName, problems);
                for (Map.Entry<String, NodeTuple> entry : byId.entrySet()) {
                    PipelineSpec pipeline = bindPipeline(entry.getKey(), entry.getValue(), parsed, registry);
                    if (pipeline != null) {
                        pipelines.add(pipeline);
                    }
                }
                if (byId.isEmpty()) {
                    problems.add(ConfigLocation.of(parsed.displayName, pipelinesTuple.getValueNode()), "pipelines", "no pipelines are configured; add at least one under 'pipelines:'");
                }
            }
        }
        // the components that are valid may have warnings too: report them with the errors, not one round later
        problems.throwIfAny(secrets, () -> ConfigWarnings.of(pipelines, secrets));
        return new AgentConfiguration(parsed.file, parsed.agent, pipelines);
    }

    private PipelineSpec bindPipeline(String pipelineId, NodeTuple tuple, ParsedConfig parsed, PluginRegistry registry)
    {
        String file = parsed.displayName;
        ConfigProblems problems = parsed.problems;
        String path = "pipelines." + pipelineId;
        if (!ID.matcher(pipelineId).matches()) {
            problems.add(ConfigLocation.of(file, tuple.getKeyNode()), path, "pipeline id '" + pipelineId + "' must start with a letter or digit and contain only letters, digits, '_', '-' and '.'");
        }
        Node node = tuple.getValueNode();
        if (!(node instanceof MappingNode)) {
            problems.add(ConfigLocation.of(file, node), path, "expected a mapping with inputs, parsers and outputs but found " + RecordBinder.describe(node));
            return null;
        }
        Map<String, NodeTuple> sections = entries((MappingNode) node, path, file, problems);
        for (Map.Entry<String, NodeTuple> entry : sections.entrySet()) {
            if (!PIPELINE_KEYS.contains(entry.getKey())) {
                problems.add(ConfigLocation.of(file, entry.getValue().getKeyNode()), path + "." + entry.getKey(),
                        "unknown pipeline property '" + entry.getKey() + "'" + suggestion(entry.getKey(), PIPELINE_KEYS, "a pipeline has inputs, parsers, outputs and unmatched"));
            }
        }
        PipelineSpec.UnmatchedPolicy unmatched = PipelineSpec.UnmatchedPolicy.KEEP;
        NodeTuple unmatchedTuple = sections.get("unmatched");
        if (unmatchedTuple != null) {
            Node value = unmatchedTuple.getValueNode();
            String text = value instanceof ScalarNode ? ((ScalarNode) value).getValue() : "";
            switch (text) {
                case "keep" -> unmatched = PipelineSpec.UnmatchedPolicy.KEEP;
                case "drop" -> unmatched = PipelineSpec.UnmatchedPolicy.DROP;
                default -> problems.add(ConfigLocation.of(file, value), path + ".unmatched", "expected one of keep, drop but found " + RecordBinder.describe(value)
                        + DidYouMean.suffix(text.trim(), List.of("keep", "drop")));
            }
        }
        Map<String, ConfigLocation> ids = new HashMap<>();
        List<ComponentSpec> inputs = bindSection(pipelineId, ComponentKind.INPUT, sections.get("inputs"), node, parsed, registry, ids);
        List<ComponentSpec> parsers = bindSection(pipelineId, ComponentKind.PARSER, sections.get("parsers"), node, parsed, registry, ids);
        List<ComponentSpec> outputs = bindSection(pipelineId, ComponentKind.OUTPUT, sections.get("outputs"), node, parsed, registry, ids);
        if (sections.get("inputs") == null) {
            problems.add(ConfigLocation.of(file, tuple.getKeyNode()), path, "pipeline '" + pipelineId + "' has no inputs; add at least one under 'inputs:'");
        }
        if (sections.get("outputs") == null) {
            problems.add(ConfigLocation.of(file, tuple.getKeyNode()), path, "pipeline '" + pipelineId + "' has no outputs; add at least one under 'outputs:' (type console prints events)");
        }
        return new PipelineSpec(pipelineId, inputs, parsers, outputs, unmatched);
    }

    private List<ComponentSpec> bindSection(String pipelineId, ComponentKind kind, NodeTuple section, Node pipelineNode, ParsedConfig parsed,
            PluginRegistry registry, Map<String, ConfigLocation> ids)
    {
        String file = parsed.displayName;
        ConfigProblems problems = parsed.problems;
        String path = "pipelines." + pipelineId + "." + kind.section();
        List<ComponentSpec> specs = new ArrayList<>();
        if (section == null) {
            return specs;
        }
        Node node = section.getValueNode();
        if (!(node instanceof MappingNode)) {
            problems.add(ConfigLocation.of(file, node), path, "expected a mapping of " + kind.label() + " ids to " + kind.section() + " but found " + RecordBinder.describe(node)
                    + (node instanceof org.yaml.snakeyaml.nodes.SequenceNode ? "; write each as 'id: { type: ... }'" : ""));
            return specs;
        }
        Map<String, NodeTuple> components = entries((MappingNode) node, path, file, problems);
        if (components.isEmpty() && kind != ComponentKind.PARSER) {
            problems.add(ConfigLocation.of(file, node), path, "pipeline '" + pipelineId + "' has no " + kind.section());
        }
        for (Map.Entry<String, NodeTuple> entry : components.entrySet()) {
            String id = entry.getKey();
            String componentPath = path + "." + id;
            ConfigLocation location = ConfigLocation.of(file, entry.getValue().getKeyNode());
            if (!ID.matcher(id).matches()) {
                problems.add(location, componentPath, "id '" + id + "' must start with a letter or digit and contain only letters, digits, '_', '-' and '.'");
            }
            ConfigLocation previous = ids.putIfAbsent(id, location);
            if (previous != null) {
                problems.add(location, componentPath, "duplicate component id '" + id + "' in pipeline '" + pipelineId + "' (first defined at " + previous + "); ids key checkpoints and must be unique within a pipeline");
                continue;
            }
            ComponentSpec spec = bindComponent(pipelineId, id, kind, entry.getValue(), componentPath, parsed, registry);
            if (spec != null) {
                specs.add(spec);
            }
        }
        return specs;
    }

    /**
     * The plugins the agent skipped, for an unknown type: the type may be one of theirs, and without this only
     * {@code outrider run}'s log (not {@code validate}) would say why they are missing. Empty when none was skipped.
     */
    private static Optional<String> skippedPlugins(PluginRegistry registry, Path pluginsDir)
    {
        List<String> skipped = new ArrayList<>();
        for (PluginLoadProblem problem : registry.loadProblems()) {
            // a missing plugins folder is said by "is its plugin installed in": it holds no plugin to skip
            if (!problem.location().equals(pluginsDir)) {
                skipped.add(problem.toString());
            }
        }
        if (skipped.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((skipped.size() == 1 ? "A plugin there was" : skipped.size() + " plugins there were") + " skipped: " + String.join("; ", skipped));
    }

    private ComponentSpec bindComponent(String pipelineId, String id, ComponentKind kind, NodeTuple tuple, String path, ParsedConfig parsed, PluginRegistry registry)
    {
        String file = parsed.displayName;
        ConfigProblems problems = parsed.problems;
        Node node = tuple.getValueNode();
        ConfigLocation location = ConfigLocation.of(file, tuple.getKeyNode());
        if (!(node instanceof MappingNode)) {
            problems.add(ConfigLocation.of(file, node), path, "expected a mapping with 'type:' but found " + RecordBinder.describe(node));
            return null;
        }
        Map<String, NodeTuple> properties = entries((MappingNode) node, path, file, new ConfigProblems());
        NodeTuple typeTuple = properties.get("type");
        if (typeTuple == null || !(typeTuple.getValueNode() instanceof ScalarNode) || RecordBinder.isNull(typeTuple.getValueNode())) {
            List<String> available = registry.types(kind);
            problems.add(typeTuple == null ? location : ConfigLocation.of(file, typeTuple.getValueNode()), path,
                    "missing 'type' for " + kind.label() + " '" + id + "'" + (available.isEmpty() ? "" : "; available " + kind.label() + " types: " + String.join(", ", available)));
            return null;
        }
        String type = ((ScalarNode) typeTuple.getValueNode()).getValue();
        ConfigLocation typeLocation = ConfigLocation.of(file, typeTuple.getValueNode());
        List<RegisteredFactory> conflicting = registry.conflicting(kind, type);
        if (!conflicting.isEmpty()) {
            problems.add(typeLocation, path + ".type", PluginRegistry.conflictMessage(kind, type, conflicting));
            return null;
        }
        Optional<RegisteredFactory> found = registry.find(kind, type);
        if (found.isEmpty()) {
            List<String> available = registry.types(kind);
            String hint = DidYouMean.closest(type, available).map(candidate -> "; did you mean '" + candidate + "'?").orElse("");
            problems.add(typeLocation, path + ".type", "unknown " + kind.label() + " type '" + type + "'" + hint
                    + (available.isEmpty() ? "; no plugin offers any " + kind.label() + " types" : " (available: " + String.join(", ", available) + ")")
                    + (hint.isEmpty() ? "; is its plugin installed in " + parsed.agent.pluginsDir() + "?" : "")
                    + skippedPlugins(registry, parsed.agent.pluginsDir()).map(skipped -> (hint.isEmpty() ? " " : "; ") + skipped).orElse(""));
            return null;
        }
        RegisteredFactory factory = found.get();
        DeliverySettings delivery = null;
        if (kind == ComponentKind.OUTPUT) {
            NodeTuple deliveryTuple = properties.get("delivery");
            delivery = parsed.binder.bind(DeliverySettings.class, deliveryTuple == null ? null : deliveryTuple.getValueNode(), path + ".delivery", node,
                    new RecordBinder.Target("the delivery settings", Set.of(), Set.of()));
            if (delivery == null) {
                delivery = DeliverySettings.defaults();
            }
        }
        Set<String> ownedKeys = kind == ComponentKind.OUTPUT ? Set.of("type", "delivery") : Set.of("type");
        Record config = new ComponentBinder(parsed.binder).bind(factory.factory(), node, path, tuple.getKeyNode(), factory.describe(), ownedKeys);
        if (config == null) {
            return null;
        }
        Map<String, ConfigLocation> propertyLocations = new HashMap<>();
        propertyLocations(node, "", file, propertyLocations);
        return new ComponentSpec(pipelineId, id, kind, factory, config, location, delivery, propertyLocations);
    }

    /** Every key of the mapping and of those inside it, by dotted path, with where its value is written. */
    private static void propertyLocations(Node node, String prefix, String file, Map<String, ConfigLocation> locations)
    {
        if (!(node instanceof MappingNode)) {
            return;
        }
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key) {
                String path = prefix.isEmpty() ? key.getValue() : prefix + "." + key.getValue();
                locations.put(path, ConfigLocation.of(file, tuple.getValueNode()));
                propertyLocations(tuple.getValueNode(), path, file, locations);
            }
        }
    }

    /** Entries of a mapping by key, in order; duplicate keys are reported, the first one wins. */
    private static Map<String, NodeTuple> entries(MappingNode mapping, String path, String file, ConfigProblems problems)
    {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode)) {
                problems.add(ConfigLocation.of(file, tuple.getKeyNode()), path, "keys must be plain text");
                continue;
            }
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();
            NodeTuple previous = entries.putIfAbsent(key, tuple);
            if (previous != null) {
                problems.add(ConfigLocation.of(file, tuple.getKeyNode()), path.isEmpty() ? key : path + "." + key,
                        "duplicate key '" + key + "' (first defined at " + ConfigLocation.of(file, previous.getKeyNode()) + ")");
            }
        }
        return entries;
    }

    private static String suggestion(String key, Set<String> known, String otherwise)
    {
        return DidYouMean.closest(key, known).map(candidate -> "; did you mean '" + candidate + "'?").orElse("; " + otherwise);
    }

    private AgentSettings withDefaults(AgentSettings settings)
    {
        return new AgentSettings(
                settings.dataDir() == null ? defaults.dataDir() : settings.dataDir(),
                settings.hostName() == null ? defaults.hostName() : settings.hostName(),
                settings.pluginsDir() == null ? defaults.pluginsDir() : settings.pluginsDir(),
                settings.status(), settings.buffer(), settings.log(), settings.secretFilePermissions(), settings.shutdownTimeout());
    }

    private static void checkStatusListen(AgentSettings.StatusSettings status, Node agentNode, String file, ConfigProblems problems)
    {
        try {
            ListenAddress.parse(status.listen());
        }
        catch (IllegalArgumentException e) {
            Node at = ConfigYaml.find(agentNode, "status.listen");
            problems.add(ConfigLocation.of(file, at == null ? agentNode : at), "agent.status.listen", e.getMessage());
        }
    }
}
