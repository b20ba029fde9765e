package io.outrider.core.storage;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How a block's payload is stored ({@code block_payloads.codec}): as it is ({@link #RAW}) or compressed with LZ4
 * ({@link #LZ4}). Events of one source repeat their field names, paths, hosts, actions and most of their text from one
 * event to the next: a block of a thousand sshd events takes about a sixth of its bytes compressed, so the buffer
 * writes, checkpoints and reads a sixth as much (docs/footprint.md). The buffer's counts and caps are of the events'
 * bytes as encoded, before compression: a batch's {@code max_bytes} and {@code buffer.max_bytes} mean what they meant.
 *
 * <p>An LZ4 payload is the block's length as an unsigned varint, then the LZ4 block (the format of LZ4's block API,
 * not its frame format). lz4-java's native library compresses and decompresses when it is on {@code java.library.path}
 * (bin/outrider puts {@code lib/native/<os>-<arch>/} there, through {@code LD_LIBRARY_PATH}): in Java it costs about
 * as much CPU as the bytes it saves SQLite (bench/e2e-throughput.sh). Elsewhere (the Windows launcher, tests) its pure-Java implementation does the same,
 * byte for byte the same format; the library is never extracted to a temporary directory. Both decompress with the
 * safe decompressor, which checks every offset against both arrays: a damaged payload is an exception, never a read
 * outside them.
 *
 * <p>{@link #compress} keeps a scratch array: one instance per thread (an input's {@link BatchEncoder}).
 * {@link #decompress} is static and thread-safe.
 */
final class BlockCompression
{
    private static final System.Logger LOG = System.getLogger(BlockCompression.class.getName());

    /** A payload stored as it is: every block written before compression, and replayed dead letters. */
    static final int RAW = 0;
    /** A payload stored compressed; see the class comment. */
    static final int LZ4 = 1;

    /** Blocks smaller than this are stored as they are: a few events gain little and cost a compressor's table. */
    static final int MIN_COMPRESSED_BLOCK = 1024;

    /** lz4-java's library's name on {@code java.library.path}. */
    private static final String NATIVE_LIBRARY = "lz4-java";

    private static final LZ4Factory FACTORY = factory(System.getProperty("java.library.path", ""));
    private static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();

    /** Where {@link #compress} compresses to; grows to half the largest block and stays there. */
    private byte[] scratch = new byte[0];

    /** A block's payload as stored: its bytes and how they are stored ({@link #RAW} or {@link #LZ4}). */
    record Stored(byte[] bytes, int codec)
    {
    }

    /**
     * The native implementation when its library is in one of the directories of {@code libraryPath} and loads; else
     * the pure-Java one. (lz4-java's own fallback would extract its library to {@code java.io.tmpdir} first.)
     */
    static LZ4Factory factory(String libraryPath)
    {
        String file = System.mapLibraryName(NATIVE_LIBRARY);
        for (String directory : libraryPath.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isRegularFile(Path.of(directory, file))) {
                try {
                    return LZ4Factory.nativeInstance();
                }
                catch (RuntimeException | LinkageError e) {
                    // a library for another C library or an older system: the pure-Java implementation, slower
                    LOG.log(System.Logger.Level.DEBUG, "lz4-java's native library in " + directory + " does not load (" + e + "): buffer blocks are compressed in Java");
                    break;
                }
            }
        }
        return LZ4Factory.safeInstance();
    }

    /**
     * The block {@code block[from, to)} as it is best stored: compressed when that takes at most half its bytes,
     * else as it is (a small block, or one of random bytes: every read would decompress it for little). The
     * half is also the most the scratch array holds, so an input keeps at most half a block (512 KiB) for it.
     */
    Stored compress(byte[] block, int from, int to)
    {
        int length = to - from;
        if (length < MIN_COMPRESSED_BLOCK) {
            return new Stored(Arrays.copyOfRange(block, from, to), RAW);
        }
        int prefix = BinaryFormat.varintSize(length);
        int room = length / 2 - prefix;
        if (scratch.length < prefix + room) {
            scratch = new byte[prefix + room];
        }
        BinaryFormat.writeVarint(scratch, 0, length);
        int compressed;
        try {
            compressed = COMPRESSOR.compress(block, from, length, scratch, prefix, room);
        }
        catch (LZ4Exception e) {
            // it did not fit in half: not worth it
            return new Stored(Arrays.copyOfRange(block, from, to), RAW);
        }
        return new Stored(Arrays.copyOf(scratch, prefix + compressed), LZ4);
    }

    /**
     * The block whose payload is {@code stored}, stored as {@code codec} says.
     *
     * @throws IllegalStateException when the payload cannot be decompressed (damaged), or the codec is unknown (a
     *         buffer written by a later version)
     */
    static byte[] decompress(byte[] stored, int codec)
    {
        if (codec == RAW) {
            return stored;
        }
        if (codec != LZ4) {
            throw new IllegalStateException("the block's payload is stored with codec " + codec + ", which this version does not know");
        }
        long length = 0;
        int shift = 0;
        int offset = 0;
        while (true) {
            if (offset >= stored.length || shift > 28) {
                throw new IllegalStateException("the block's compressed payload is damaged: its length is cut short");
            }
            byte next = stored[offset++];
            length |= (long) (next & 0x7F) << shift;
            if (next >= 0) {
                break;
            }
            shift += 7;
        }
        // LZ4 cannot expand a byte to more than 255: a larger claim is damage, not an array to allocate
        if (length > Math.min(Integer.MAX_VALUE - 8, (stored.length - offset) * 255L + 16)) {
            throw new IllegalStateException("the block's compressed payload is damaged: it claims " + length + " bytes in " + (stored.length - offset));
        }
        byte[] block = new byte[(int) length];
        int decompressed;
        try {
            decompressed = DECOMPRESSOR.decompress(stored, offset, stored.length - offset, block, 0, block.length);
        }
        catch (LZ4Exception e) {
            throw new IllegalStateException("the block's compressed payload is damaged: " + e.getMessage(), e);
        }
        if (decompressed != block.length) {
            throw new IllegalStateException("the block's compressed payload is damaged: it holds " + decompressed + " of its " + block.length + " bytes");
        }
        return block;
    }
}
