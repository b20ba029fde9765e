package io.outrider.plugin.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads at most a fixed number of bytes of an answer's body and discards the rest while still draining it, so the
 * connection can be reused and a hostile or broken collector cannot make the agent buffer without bound. An answer
 * that goes on for more than {@link #DRAIN_LIMIT} bytes past the limit is cut off (the connection is closed).
 */
final class BoundedBody
{
    static final int DRAIN_LIMIT = 1 << 20;

    private BoundedBody() {}

    static BodyHandler<byte[]> handler(int maxBytes)
    {
        return responseInfo -> new Subscriber(maxBytes);
    }

    private static final class Subscriber
            implements BodySubscriber<byte[]>
    {
        private final int maxBytes;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long received;

        Subscriber(int maxBytes)
        {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<byte[]> getBody()
        {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription)
        {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers)
        {
            for (ByteBuffer buffer : buffers) {
                int room = maxBytes - kept.size();
                int take = Math.min(room, buffer.remaining());
                if (take > 0) {
                    byte[] bytes = new byte[take];
                    buffer.get(bytes);
                    kept.writeBytes(bytes);
                }
                received += buffer.remaining() + take;
                buffer.position(buffer.limit());
            }
            if (received > (long) maxBytes + DRAIN_LIMIT && !result.isDone()) {
                subscription.cancel();
                result.complete(kept.toByteArray());
            }
        }

        @Override
        public void onError(Throwable throwable)
        {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete()
        {
            if (!result.isDone()) {
                result.complete(kept.toByteArray());
            }
        }
    }
}
