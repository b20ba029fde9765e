package io.outrider.config;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

import static java.util.Objects.requireNonNull;

/** A place in a configuration file, 1-based, as editors count. */
public record ConfigLocation(String file, int line, int column)
{
    public ConfigLocation
    {
        requireNonNull(file, "file is null");
    }

    public static ConfigLocation of(String file, Node node)
    {
        return of(file, node.getStartMark());
    }

    public static ConfigLocation of(String file, Mark mark)
    {
        return mark == null ? new ConfigLocation(file, 0, 0) : new ConfigLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    @Override
    public String toString()
    {
        return line == 0 ? file : file + ":" + line + ":" + column;
    }
}
