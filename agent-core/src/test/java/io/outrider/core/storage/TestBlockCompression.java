package io.outrider.core.storage;

import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestBlockCompression
{
    @TempDir
    Path directory;

    @Test
    void aBlockOfLogLinesIsStoredCompressedAndReadBackAsItWas()
    {
        byte[] block = logLines(1_000);
        BlockCompression.Stored stored = new BlockCompression().compress(block, 0, block.length);

        assertThat(stored.codec()).isEqualTo(BlockCompression.LZ4);
        assertThat(stored.bytes().length).isLessThan(block.length / 4);
        assertThat(BlockCompression.decompress(stored.bytes(), stored.codec())).isEqualTo(block);
    }

    @Test
    void compressesARangeOfTheArrayAndKeepsItsScratchArrayBetweenBlocks()
    {
        BlockCompression compression = new BlockCompression();
        byte[] lines = logLines(300);
        int from = 17;
        int to = lines.length - 5;
        BlockCompression.Stored first = compression.compress(lines, from, to);
        BlockCompression.Stored second = compression.compress(lines, 0, 2_000);

        assertThat(BlockCompression.decompress(first.bytes(), first.codec())).isEqualTo(Arrays.copyOfRange(lines, from, to));
        assertThat(BlockCompression.decompress(second.bytes(), second.codec())).isEqualTo(Arrays.copyOf(lines, 2_000));
    }

    @Test
    void aBlockThatDoesNotCompressToHalfIsStoredAsItIs()
    {
        // 64 random bytes, then the last 32 of them again, over and over: a third of it repeats, so it compresses, but
        // to about two thirds, not to half
        byte[] halfNoise = new byte[96 * 100];
        Random random = new Random(11);
        for (int at = 0; at < halfNoise.length; at += 96) {
            byte[] noise = new byte[64];
            random.nextBytes(noise);
            System.arraycopy(noise, 0, halfNoise, at, 64);
            System.arraycopy(noise, 32, halfNoise, at + 64, 32);
        }
        assertThat(net.jpountz.lz4.LZ4Factory.safeInstance().fastCompressor().compress(halfNoise)).hasSizeBetween(halfNoise.length / 2, halfNoise.length * 4 / 5);
        byte[] compressible = logLines(100);
        BlockCompression compression = new BlockCompression();

        assertThat(compression.compress(halfNoise, 0, halfNoise.length).codec()).isEqualTo(BlockCompression.RAW);
        BlockCompression.Stored stored = compression.compress(compressible, 0, compressible.length);
        assertThat(stored.codec()).isEqualTo(BlockCompression.LZ4);
        assertThat(stored.bytes().length).isLessThanOrEqualTo(compressible.length / 2);
    }

    @Test
    void smallOrIncompressibleBlocksAreStoredAsTheyAre()
    {
        byte[] small = "a few bytes".getBytes(StandardCharsets.UTF_8);
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        BlockCompression compression = new BlockCompression();

        BlockCompression.Stored storedSmall = compression.compress(small, 0, small.length);
        BlockCompression.Stored storedNoise = compression.compress(noise, 0, noise.length);

        assertThat(storedSmall.codec()).isEqualTo(BlockCompression.RAW);
        assertThat(storedSmall.bytes()).isEqualTo(small);
        assertThat(storedNoise.codec()).isEqualTo(BlockCompression.RAW);
        assertThat(storedNoise.bytes()).isEqualTo(noise);
        assertThat(BlockCompression.decompress(storedNoise.bytes(), BlockCompression.RAW)).isSameAs(storedNoise.bytes());
    }

    @Test
    void aDamagedPayloadIsAnErrorNeverAnArrayItClaims()
    {
        byte[] block = logLines(200);
        byte[] stored = new BlockCompression().compress(block, 0, block.length).bytes();

        byte[] cutShort = Arrays.copyOf(stored, stored.length / 2);
        assertThatThrownBy(() -> BlockCompression.decompress(cutShort, BlockCompression.LZ4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the block's compressed payload is damaged: ");
        // a length of 2^28 in front of 3 bytes: LZ4 cannot make that many of so few
        byte[] claimsTooMuch = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01, 0x10, 0x61, 0x62};
        assertThatThrownBy(() -> BlockCompression.decompress(claimsTooMuch, BlockCompression.LZ4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the block's compressed payload is damaged: it claims 268435456 bytes in 3");
        assertThatThrownBy(() -> BlockCompression.decompress(new byte[] {(byte) 0x80}, BlockCompression.LZ4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the block's compressed payload is damaged: its length is cut short");
        byte[] wrongLength = stored.clone();
        wrongLength[0]++;
        assertThatThrownBy(() -> BlockCompression.decompress(wrongLength, BlockCompression.LZ4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the block's compressed payload is damaged: ");
        assertThatThrownBy(() -> BlockCompression.decompress(stored, 7))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the block's payload is stored with codec 7, which this version does not know");
        // readers see a damaged block as one without bytes: each of its events then reads as undecodable
        assertThat(BlockPayload.readable(cutShort, BlockCompression.LZ4)).isEmpty();
    }

    @Test
    void theNativeLibraryIsUsedOnlyFromTheLibraryPathAndWritesTheSameFormat()
            throws Exception
    {
        assertThat(BlockCompression.factory(directory.toString())).isSameAs(LZ4Factory.safeInstance());
        assertThat(BlockCompression.factory("")).isSameAs(LZ4Factory.safeInstance());

        String resource = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "net/jpountz/util/linux/amd64/liblz4-java.so";
            case "aarch64" -> "net/jpountz/util/linux/aarch64/liblz4-java.so";
            default -> throw new AssertionError("no lz4-java library for " + System.getProperty("os.arch") + " in the test's list");
        };
        try (InputStream library = LZ4Factory.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(library).as(resource).isNotNull();
            Files.copy(library, directory.resolve(System.mapLibraryName("lz4-java")));
        }
        LZ4Factory nativeFactory = BlockCompression.factory("/nonexistent" + java.io.File.pathSeparator + directory);
        assertThat(nativeFactory).isNotSameAs(LZ4Factory.safeInstance());

        // a buffer written with one implementation is read with the other
        byte[] block = logLines(500);
        byte[] compressedNatively = new byte[nativeFactory.fastCompressor().maxCompressedLength(block.length)];
        int length = nativeFactory.fastCompressor().compress(block, 0, block.length, compressedNatively, 0, compressedNatively.length);
        byte[] stored = new byte[BinaryFormat.varintSize(block.length) + length];
        int offset = BinaryFormat.writeVarint(stored, 0, block.length);
        System.arraycopy(compressedNatively, 0, stored, offset, length);
        assertThat(BlockCompression.decompress(stored, BlockCompression.LZ4)).isEqualTo(block);

        byte[] storedInJava = new BlockCompression().compress(block, 0, block.length).bytes();
        int prefix = BinaryFormat.varintSize(block.length);
        byte[] decompressedNatively = new byte[block.length];
        assertThat(nativeFactory.safeDecompressor().decompress(storedInJava, prefix, storedInJava.length - prefix, decompressedNatively, 0)).isEqualTo(block.length);
        assertThat(decompressedNatively).isEqualTo(block);
    }

    /** Lines as an auth log has them: the same words, other numbers. */
    private static byte[] logLines(int count)
    {
        StringBuilder lines = new StringBuilder();
        Random random = new Random(42);
        for (int i = 0; i < count; i++) {
            lines.append("Jun 10 00:00:").append(i % 60).append(" gw01 sshd[").append(1000 + random.nextInt(9000)).append("]: Failed password for ")
                    .append(random.nextBoolean() ? "root" : "invalid user admin").append(" from 198.51.100.").append(random.nextInt(256))
                    .append(" port ").append(1024 + random.nextInt(60000)).append(" ssh2\n");
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }
}
