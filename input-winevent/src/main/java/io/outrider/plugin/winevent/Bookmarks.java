package io.outrider.plugin.winevent;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the record id out of bookmark XML ({@code <BookmarkList><Bookmark Channel='Security' RecordId='4711'
 * IsCurrent='true'/></BookmarkList>}), to tell how many records a lost position skipped.
 */
public final class Bookmarks
{
    /** The checkpoint value that means "no bookmark yet: start at the oldest record" (after a lost position). */
    public static final String OLDEST = "oldest";

    private static final Pattern RECORD_ID = Pattern.compile("RecordId\\s*=\\s*['\"](\\d{1,19})['\"]");

    private Bookmarks() {}

    /** The bookmark's record id; empty when the text is not a bookmark with one. */
    public static OptionalLong recordId(String bookmarkXml)
    {
        if (bookmarkXml == null || !bookmarkXml.contains("<BookmarkList")) {
            return OptionalLong.empty();
        }
        Matcher matcher = RECORD_ID.matcher(bookmarkXml);
        if (!matcher.find()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(matcher.group(1)));
        }
        catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The bookmark XML Windows writes for one channel position. */
    public static String of(String channel, long recordId)
    {
        return "<BookmarkList>\r\n  <Bookmark Channel='" + QueryBuilder.escape(channel).replace("'", "&apos;") + "' RecordId='" + recordId + "' IsCurrent='true'/>\r\n</BookmarkList>";
    }
}
