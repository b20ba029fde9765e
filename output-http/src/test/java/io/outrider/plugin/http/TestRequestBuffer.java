package io.outrider.plugin.http;

import io.outrider.support.JsonByteWriter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestRequestBuffer
{
    @Test
    void aWriterGivenBackIsReusedEmpty()
    {
        RequestBuffer buffer = new RequestBuffer(1 << 20);
        JsonByteWriter first = buffer.take();
        first.raw("x".repeat(60_000));
        buffer.encoded(first.size());
        buffer.giveBack(first);

        JsonByteWriter second = buffer.take();
        assertThat(second).isSameAs(first);
        assertThat(second.size()).isZero();
    }

    @Test
    void aWriterNotGivenBackIsNeverHandedOutAgain()
    {
        // a request that timed out or was refused may still be read by the client: its array stays with it
        RequestBuffer buffer = new RequestBuffer(1 << 20);
        JsonByteWriter lent = buffer.take();
        assertThat(buffer.keeps()).isFalse();
        JsonByteWriter next = buffer.take();
        assertThat(next).isNotSameAs(lent);
    }

    @Test
    void aBufferGrownByABurstIsLetGoWhenBatchesAreSmallAgain()
    {
        RequestBuffer buffer = new RequestBuffer(64 << 20);
        JsonByteWriter big = buffer.take();
        big.raw("x".repeat(8 << 20));
        buffer.encoded(big.size());
        buffer.giveBack(big);
        assertThat(buffer.take()).isSameAs(big);

        buffer.encoded(1_000);
        buffer.giveBack(big);
        JsonByteWriter small = buffer.take();
        assertThat(small).isNotSameAs(big);
        assertThat(small.capacity()).isLessThan(64 << 10);
    }

    @Test
    void releasedWritersAreNotHandedOutAgain()
    {
        // the output sent nothing for a while: what a burst grew is let go, and the next body gets a right-sized array
        RequestBuffer buffer = new RequestBuffer(64 << 20);
        JsonByteWriter first = buffer.take();
        JsonByteWriter second = buffer.take();
        first.raw("x".repeat(2 << 20));
        buffer.encoded(first.size());
        buffer.giveBack(first);
        buffer.giveBack(second);
        assertThat(buffer.keeps()).isTrue();

        buffer.release();
        assertThat(buffer.keeps()).isFalse();
        JsonByteWriter next = buffer.take();
        assertThat(next).isNotIn(first, second);
        assertThat(next.capacity()).isGreaterThanOrEqualTo(2 << 20);
    }

    @Test
    void writersLentTogetherAreEachReusedAndNeverHandedOutTwice()
            throws Exception
    {
        // two batches in flight: each answer gives its writer back on a client thread
        RequestBuffer buffer = new RequestBuffer(1 << 20);
        JsonByteWriter first = buffer.take();
        JsonByteWriter second = buffer.take();
        assertThat(second).isNotSameAs(first);
        Thread answers = new Thread(() -> {
            buffer.giveBack(first);
            buffer.giveBack(second);
        });
        answers.start();
        answers.join();

        JsonByteWriter third = buffer.take();
        JsonByteWriter fourth = buffer.take();
        assertThat(java.util.List.of(third, fourth)).containsExactlyInAnyOrder(first, second);
        assertThat(buffer.keeps()).isFalse();
        assertThat(buffer.take()).isNotIn(first, second);
    }
}
