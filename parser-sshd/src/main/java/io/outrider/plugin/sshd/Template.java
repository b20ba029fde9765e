package io.outrider.plugin.sshd;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One sshd message template as a regular expression that must match the whole message ({@link Matcher#matches()}:
 * anchored at both ends, so text an attacker put in a user name can never stand in for the address that sshd
 * writes after it).
 *
 * <p>Linear-time by design, which {@code TestTemplateDesign} checks for every template: at most one quantifier that
 * can give characters back (the greedy user name, matched right to left against the fixed tail), every other
 * unbounded quantifier possessive, and the input length capped by the parser.
 */
final class Template
{
    private final String name;
    private final Pattern pattern;

    Template(String name, String regex)
    {
        this.name = requireNonNull(name, "name is null");
        // DOTALL: a control character in a user name must not make the line unclassifiable (sshd escapes them, but a
        // line may reach us by another route)
        this.pattern = Pattern.compile(requireNonNull(regex, "regex is null"), Pattern.DOTALL);
    }

    /** A matcher positioned on the whole of {@code text}, or {@code null} when the template does not match. */
    Matcher match(CharSequence text)
    {
        Matcher matcher = pattern.matcher(text);
        return matcher.matches() ? matcher : null;
    }

    /** A matcher to reuse with {@link #match(Matcher, CharSequence)}: one per template and thread. */
    Matcher newMatcher()
    {
        return pattern.matcher("");
    }

    /** {@code matcher}, a matcher of this template, reset to {@code text}, or {@code null} when it does not match. */
    static Matcher match(Matcher matcher, CharSequence text)
    {
        return matcher.reset(text).matches() ? matcher : null;
    }

    String name()
    {
        return name;
    }

    String regex()
    {
        return pattern.pattern();
    }

    @Override
    public String toString()
    {
        return name + ": " + pattern.pattern();
    }
}
