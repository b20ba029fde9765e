package io.outrider.config;

import java.util.Collection;
import java.util.Optional;

/** Suggests the closest known name for a misspelt one (Damerau-Levenshtein distance, bounded). */
public final class DidYouMean
{
    private DidYouMean() {}

    /** The closest candidate within a distance of about a third of the name's length (at least 1, at most 3). */
    public static Optional<String> closest(String name, Collection<String> candidates)
    {
        int limit = Math.max(1, Math.min(3, name.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(name.toLowerCase(), candidate.toLowerCase());
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** "; did you mean 'x'?" or an empty string. */
    public static String suffix(String name, Collection<String> candidates)
    {
        return closest(name, candidates).map(candidate -> "; did you mean '" + candidate + "'?").orElse("");
    }

    static int distance(String a, String b)
    {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
