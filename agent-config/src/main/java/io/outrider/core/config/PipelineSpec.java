package io.outrider.core.config;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** One configured pipeline: inputs, the parser chain in order, outputs (fan-out), and the unmatched policy. */
public record PipelineSpec(String id, List<ComponentSpec> inputs, List<ComponentSpec> parsers, List<ComponentSpec> outputs, UnmatchedPolicy unmatched)
{
    public PipelineSpec
    {
        requireNonNull(id, "id is null");
        inputs = List.copyOf(inputs);
        parsers = List.copyOf(parsers);
        outputs = List.copyOf(outputs);
        requireNonNull(unmatched, "unmatched is null");
    }

    /** What happens to an event no parser of the chain matched. */
    public enum UnmatchedPolicy
    {
        /** deliver it as read (default) */
        KEEP,
        /** count it and drop it */
        DROP
    }
}
