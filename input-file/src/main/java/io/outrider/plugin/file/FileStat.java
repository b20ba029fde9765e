package io.outrider.plugin.file;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** What one stat of a path (following symbolic links) says about the file behind it. */
record FileStat(FileIdentity.FileKey fileKey, long size, FileTime lastModified, boolean regularFile)
{
    private static final boolean UNIX_VIEW = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    /**
     * @throws IOException if the path does not exist or cannot be read (e.g. {@link java.nio.file.NoSuchFileException})
     */
    static FileStat of(Path path)
            throws IOException
    {
        if (UNIX_VIEW) {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime,isRegularFile");
            return new FileStat(
                    new FileIdentity.FileKey((Long) attributes.get("dev"), (Long) attributes.get("ino")),
                    (Long) attributes.get("size"),
                    (FileTime) attributes.get("lastModifiedTime"),
                    (Boolean) attributes.get("isRegularFile"));
        }
        // without inode numbers (not Unix) the platform's file key, or else the path, stands in for the inode
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        Object platformKey = attributes.fileKey();
        long inode = platformKey != null ? platformKey.hashCode() : path.toAbsolutePath().normalize().hashCode();
        return new FileStat(new FileIdentity.FileKey(0, inode), attributes.size(), attributes.lastModifiedTime(), attributes.isRegularFile());
    }
}
