package io.outrider.core.plugin;

/** The three kinds of pipeline component; the YAML section name is the plural. */
public enum ComponentKind
{
    INPUT("inputs"), PARSER("parsers"), OUTPUT("outputs");

    private final String section;

    ComponentKind(String section)
    {
        this.section = section;
    }

    public String section()
    {
        return section;
    }

    public String label()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
