package io.outrider.plugin.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;

class TestByteArrayBody
{
    @Test
    void deliversEveryByteInOrderAsDemanded()
    {
        byte[] body = new byte[64 * 1024 * 3 + 17];
        new Random(7).nextBytes(body);
        HttpRequest.BodyPublisher publisher = ByteArrayBody.of(body);
        assertThat(publisher.contentLength()).isEqualTo(body.length);

        // one buffer at a time, requested from inside onNext, twice: a retried exchange reads the body again
        for (int round = 0; round < 2; round++) {
            Recorder recorder = new Recorder(1);
            publisher.subscribe(recorder);
            assertThat(recorder.completed).isTrue();
            assertThat(recorder.error).isNull();
            assertThat(recorder.chunks).isEqualTo(4);
            assertThat(recorder.received.toByteArray()).isEqualTo(body);
        }
    }

    @Test
    void sendsOnlyTheWrittenPrefixOfAReusedArray()
    {
        byte[] array = new byte[64 * 1024 + 100];
        new Random(11).nextBytes(array);
        int length = 64 * 1024 + 3;
        HttpRequest.BodyPublisher publisher = ByteArrayBody.of(array, length);
        assertThat(publisher.contentLength()).isEqualTo(length);

        Recorder recorder = new Recorder(1);
        publisher.subscribe(recorder);
        assertThat(recorder.completed).isTrue();
        assertThat(recorder.sizes).containsExactly(64 * 1024, 3);
        assertThat(recorder.received.toByteArray()).isEqualTo(java.util.Arrays.copyOf(array, length));
        assertThat(ByteArrayBody.of(array, 0).contentLength()).isZero();
    }

    @Test
    void waitsForDemandAndStopsWhenCancelled()
    {
        byte[] body = new byte[64 * 1024 * 4];
        Recorder recorder = new Recorder(0);
        ByteArrayBody.of(body).subscribe(recorder);
        assertThat(recorder.chunks).isZero();

        recorder.subscription.request(2);
        assertThat(recorder.chunks).isEqualTo(2);
        recorder.subscription.cancel();
        recorder.subscription.request(5);
        assertThat(recorder.chunks).isEqualTo(2);
        assertThat(recorder.completed).isFalse();
    }

    @Test
    void refusesANonPositiveRequest()
    {
        Recorder recorder = new Recorder(0);
        ByteArrayBody.of(new byte[10]).subscribe(recorder);
        recorder.subscription.request(0);
        assertThat(recorder.error).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a subscriber requested 0 buffers (rule 3.9)");
        assertThat(recorder.chunks).isZero();
    }

    private static final class Recorder
            implements Flow.Subscriber<ByteBuffer>
    {
        private final long perSignal;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Integer> sizes = new ArrayList<>();
        Flow.Subscription subscription;
        int chunks;
        boolean completed;
        Throwable error;

        Recorder(long perSignal)
        {
            this.perSignal = perSignal;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription)
        {
            this.subscription = subscription;
            if (perSignal > 0) {
                subscription.request(perSignal);
            }
        }

        @Override
        public void onNext(ByteBuffer item)
        {
            chunks++;
            sizes.add(item.remaining());
            byte[] copy = new byte[item.remaining()];
            item.get(copy);
            received.writeBytes(copy);
            if (perSignal > 0) {
                subscription.request(perSignal);
            }
        }

        @Override
        public void onError(Throwable throwable)
        {
            error = throwable;
        }

        @Override
        public void onComplete()
        {
            completed = true;
        }
    }
}
