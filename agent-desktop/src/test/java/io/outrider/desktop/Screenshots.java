package io.outrider.desktop;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Screenshots the tests keep as build artifacts ({@code target/screenshots/}). */
final class Screenshots
{
    private Screenshots() {}

    static Path save(BufferedImage image, String name)
            throws IOException
    {
        Path directory = Path.of(System.getProperty("outrider.desktop.artifacts", "target/screenshots")).toAbsolutePath().normalize();
        Files.createDirectories(directory);
        Path file = directory.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
