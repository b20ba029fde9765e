package io.outrider.plugin.http;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body that hands the client slices of the body's own array. The JDK's
 * {@code BodyPublishers.ofByteArray} copies the whole body into fresh buffers first: for megabyte batches that copy
 * is garbage the size of every request, kept alive while the collector answers. The array must not change while
 * the request may still read it; an output reuses a body's array only after a 2xx answer shows the collector read all of it.
 */
final class ByteArrayBody
        implements Flow.Publisher<ByteBuffer>
{
    private static final int CHUNK = 64 * 1024;

    private final byte[] bytes;
    private final int length;

    private ByteArrayBody(byte[] bytes, int length)
    {
        this.bytes = bytes;
        this.length = length;
    }

    static HttpRequest.BodyPublisher of(byte[] bytes)
    {
        return of(bytes, bytes.length);
    }

    /** The first {@code length} bytes of {@code bytes}. */
    static HttpRequest.BodyPublisher of(byte[] bytes, int length)
    {
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("length " + length + " is outside an array of " + bytes.length);
        }
        if (length == 0) {
            // fromPublisher refuses a content length of 0 (an empty ndjson batch, as test output sends)
            return HttpRequest.BodyPublishers.noBody();
        }
        return HttpRequest.BodyPublishers.fromPublisher(new ByteArrayBody(bytes, length), length);
    }

    /** Each subscription (the client subscribes again for a retried or redirected exchange) starts at byte 0. */
    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber)
    {
        subscriber.onSubscribe(new Chunks(subscriber));
    }

    private final class Chunks
            implements Flow.Subscription
    {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        /** Serialises signals: request() may be called from inside onNext, and from other threads. */
        private final AtomicInteger work = new AtomicInteger();
        private int offset;
        private volatile boolean done;

        Chunks(Flow.Subscriber<? super ByteBuffer> subscriber)
        {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n)
        {
            if (n <= 0) {
                if (!done) {
                    done = true;
                    subscriber.onError(new IllegalArgumentException("a subscriber requested " + n + " buffers (rule 3.9)"));
                }
                return;
            }
            demand.getAndAccumulate(n, (current, more) -> current + more < 0 ? Long.MAX_VALUE : current + more);
            drain();
        }

        private void drain()
        {
            if (work.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                while (!done && offset < length && demand.get() > 0) {
                    int size = Math.min(CHUNK, length - offset);
                    ByteBuffer chunk = ByteBuffer.wrap(bytes, offset, size).slice();
                    offset += size;
                    demand.decrementAndGet();
                    subscriber.onNext(chunk);
                }
                if (!done && offset >= length) {
                    done = true;
                    subscriber.onComplete();
                }
                missed = work.addAndGet(-missed);
            }
            while (missed != 0);
        }

        @Override
        public void cancel()
        {
            done = true;
        }
    }
}
