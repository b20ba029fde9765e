package io.outrider.spi;

/** The form of the keys {@link ComponentContext#reportProblem} takes; package-private, so no part of the contract itself. */
final class ComponentProblemKeys
{
    static final int MAX_LENGTH = 64;

    private ComponentProblemKeys() {}

    static void check(String key)
    {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a problem key is 1 to " + MAX_LENGTH + " characters: " + (key == null ? "null" : "'" + key + "'"));
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_') {
                throw new IllegalArgumentException("problem key '" + key + "' may hold lower-case letters, digits and underscores only");
            }
        }
    }
}
