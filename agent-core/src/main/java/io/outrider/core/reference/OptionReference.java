package io.outrider.core.reference;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One configuration option of a component type, as {@code outrider plugins describe} and {@code docs/reference/}
 * show it.
 *
 * @param name the YAML name, dotted below a nested mapping ({@code tls.ca_file})
 * @param type what the value is, in the words of configuration errors ({@code duration}, {@code list of text})
 * @param defaultValue what an absent value becomes, written as it would be in YAML ({@code 5m}; {@code not set} when it
 *        stays unset); empty when it cannot be known without the required values
 * @param required whether the option must be set
 * @param sensitive whether the value is a secret (masked in output, redacted from logs)
 * @param description the option's {@code @Description}; empty when it has none
 */
public record OptionReference(String name, String type, Optional<String> defaultValue, boolean required, boolean sensitive, String description)
{
    public OptionReference
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(description, "description is null");
    }

    /** The type of a nested mapping, whose options follow it as {@code name.option}. */
    public static final String MAPPING = "mapping";

    /** {@code required}, the default, or {@code unknown} when the record cannot be made without the required values. */
    public String defaultText()
    {
        if (required) {
            return "required";
        }
        return defaultValue.orElse("unknown");
    }

    /** Whether this is a nested mapping: its default is that of its options. */
    public boolean isMapping()
    {
        return type.equals(MAPPING);
    }
}
