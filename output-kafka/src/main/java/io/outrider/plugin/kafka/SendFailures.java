package io.outrider.plugin.kafka;

import io.outrider.support.Redactor;

import io.outrider.spi.DeliveryResult;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownProducerIdException;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Classifies what the producer reported for each record of a batch and folds it into one {@link DeliveryResult}:
 * <table>
 *   <caption>Send failures</caption>
 *   <tr><td>{@link AuthenticationException} (SASL, TLS handshake), {@link AuthorizationException} (topic,
 *       cluster)</td><td>unauthorized: the output pauses</td></tr>
 *   <tr><td>{@link RecordBatchTooLargeException}</td><td>too large: the agent splits the batch</td></tr>
 *   <tr><td>{@link RecordTooLargeException}, {@link InvalidTimestampException}, {@link InvalidRecordException},
 *       {@link InvalidTopicException}</td><td>that event is rejected (dead letters), the others count as
 *       delivered</td></tr>
 *   <tr><td>{@link RetriableException} (broker down, leader change, not enough replicas,
 *       {@link TimeoutException}) and anything else</td><td>retry later; the whole batch is sent again, so records
 *       already acknowledged are duplicated (at least once)</td></tr>
 * </table>
 * Precedence: unauthorized, then too large, then retry, then per-event rejections. Reasons pass through the
 * {@link Redactor}.
 */
final class SendFailures
{
    private final Redactor redactor;
    private final Duration deliveryTimeout;
    private final String bootstrap;

    SendFailures(Redactor redactor, Duration deliveryTimeout, String bootstrap)
    {
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.deliveryTimeout = requireNonNull(deliveryTimeout, "deliveryTimeout is null");
        this.bootstrap = requireNonNull(bootstrap, "bootstrap is null");
    }

    /**
     * @param failures index → exception, for the records whose send failed (the others were acknowledged)
     * @param topics the topic of each record
     * @param sizes the value size of each record in bytes
     */
    DeliveryResult result(int batchSize, Map<Integer, Exception> failures, String[] topics, int[] sizes)
    {
        if (failures.isEmpty()) {
            return DeliveryResult.delivered();
        }
        DeliveryResult unauthorized = null;
        DeliveryResult tooLarge = null;
        DeliveryResult retry = null;
        Map<Integer, String> rejected = new TreeMap<>();
        // in batch order, so that reasons name the first failure
        for (Map.Entry<Integer, Exception> failure : new TreeMap<>(failures).entrySet()) {
            int index = failure.getKey();
            Exception e = failure.getValue();
            if (e instanceof AuthenticationException) {
                unauthorized = unauthorized == null ? DeliveryResult.unauthorized(authentication((AuthenticationException) e)) : unauthorized;
            }
            else if (e instanceof AuthorizationException) {
                unauthorized = unauthorized == null ? DeliveryResult.unauthorized("not authorized to write to topic " + topics[index] + " ("
                        + message(e) + "): grant this client's principal WRITE on the topic (and IDEMPOTENT_WRITE on the cluster for brokers"
                        + " before 2.8 with idempotence on)") : unauthorized;
            }
            else if (e instanceof RecordBatchTooLargeException) {
                tooLarge = tooLarge == null ? DeliveryResult.tooLarge("the broker refused a record batch as too large: " + message(e)) : tooLarge;
            }
            else if (e instanceof RecordTooLargeException) {
                rejected.put(index, "record of " + sizes[index] + " bytes too large for max_record_size or the topic's max.message.bytes: " + message(e));
            }
            else if (e instanceof InvalidTimestampException) {
                rejected.put(index, "topic " + topics[index] + " refuses the event's timestamp (see its message.timestamp.*.max.ms): " + message(e));
            }
            else if (e instanceof InvalidRecordException || e instanceof InvalidTopicException) {
                rejected.put(index, "topic " + topics[index] + " refuses the record: " + message(e));
            }
            else if (retry == null) {
                retry = DeliveryResult.retryLater(failures.size() + " of " + batchSize + " records not acknowledged: " + retryReason(e, topics[index]));
            }
        }
        if (unauthorized != null) {
            return unauthorized;
        }
        if (tooLarge != null) {
            return tooLarge;
        }
        if (retry != null) {
            return retry;
        }
        return DeliveryResult.partiallyRejected(rejected);
    }

    /**
     * Whether a failure that {@code send()} reported before returning (while waiting for metadata) would recur for
     * every further record of the batch: no metadata within {@code max.block.ms}, or credentials refused.
     */
    static boolean failsEveryRecord(Exception e)
    {
        return e instanceof TimeoutException || e instanceof AuthenticationException || e instanceof AuthorizationException;
    }

    /**
     * Whether the producer must be replaced: its idempotence state is broken, or the failure came from the client
     * itself rather than from a broker's answer.
     */
    static boolean breaksProducer(Exception e)
    {
        if (e instanceof OutOfOrderSequenceException || e instanceof UnknownProducerIdException || e instanceof ProducerFencedException
                || e instanceof InvalidProducerEpochException) {
            return true;
        }
        return e instanceof KafkaException && !(e instanceof ApiException);
    }

    /** What a metadata request for {@code topic} (the check {@code outrider test output} makes) says about the brokers. */
    DeliveryResult metadataResult(Exception e, String topic)
    {
        if (e instanceof AuthenticationException authentication) {
            return DeliveryResult.unauthorized(authentication(authentication));
        }
        if (e instanceof org.apache.kafka.common.errors.AuthorizationException) {
            return DeliveryResult.unauthorized("not authorized to describe topic " + topic + " (" + message(e) + "): check the ACLs of this client's principal");
        }
        if (e instanceof TimeoutException) {
            return DeliveryResult.retryLater("no metadata for topic " + topic + " within delivery_timeout (" + deliveryTimeout + "): the brokers at "
                    + bootstrap + " are unreachable, or the topic does not exist and is not created automatically (" + message(e) + ")");
        }
        return DeliveryResult.retryLater(e.getClass().getSimpleName() + ": " + message(e));
    }

    private String authentication(AuthenticationException e)
    {
        if (e instanceof SaslAuthenticationException) {
            return "SASL authentication with " + bootstrap + " failed (" + message(e) + "): check sasl.mechanism, sasl.username and sasl.password"
                    + " (and that its ${VAR} or ${file:...} resolves to the current password)";
        }
        if (e instanceof SslAuthenticationException) {
            return "TLS handshake with " + bootstrap + " failed (" + message(e) + "): check tls.ca_file, that the broker certificates name the"
                    + " brokers, and tls.crt_file/key_file if the brokers want a client certificate";
        }
        return "authentication with " + bootstrap + " failed: " + message(e);
    }

    private String retryReason(Exception e, String topic)
    {
        if (e instanceof TimeoutException) {
            return "no acknowledgement within delivery_timeout (" + deliveryTimeout + "): the brokers at " + bootstrap
                    + " are unreachable, or topic " + topic + " does not exist and is not created automatically (" + message(e) + ")";
        }
        return e.getClass().getSimpleName() + ": " + message(e);
    }

    String message(Throwable e)
    {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : redactor.clean(message);
    }
}
