package io.outrider.plugin.http;

import io.outrider.support.JsonReader;
import io.outrider.support.JsonWriter;
import io.outrider.support.Redactor;

import io.outrider.spi.DeliveryResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads LogNog's answer {@code {"accepted":N,"rejected":M,"errors":[...]}} and says what happened to each event.
 *
 * <p>An error names its event when it is an object with a numeric {@code index} (or {@code event_index}) and a
 * {@code error}/{@code message}/{@code reason} text, or a string like {@code "event 3: missing timestamp"} /
 * {@code "[3] missing timestamp"}; indexes count from 0 in the order of the request's {@code events} array, which
 * is batch order.
 * <ul>
 *   <li>no rejection: delivered;</li>
 *   <li>every rejected event named: {@link DeliveryResult#partiallyRejected} with LogNog's reasons;</li>
 *   <li>every event rejected, not all named: each event rejected with all of LogNog's errors as reason;</li>
 *   <li>some rejected but not (all) named: the named ones are rejected by index and the batch counts as done. The
 *       others cannot be told from the events LogNog accepted, so nothing is sent again (sending the batch again, or
 *       splitting it, would duplicate what LogNog already stored): {@link Outcome#unidentified()} says how many, for
 *       the output to count and log. They stay only in LogNog's own rejection log.</li>
 * </ul>
 */
final class LogNogResponse
{
    private static final Pattern INDEXED_TEXT = Pattern.compile(
            "(?i)^\\s*(?:events?\\s*(?:\\[\\s*(\\d+)\\s*]|#?\\s*(\\d+))|\\[\\s*(\\d+)\\s*]|index\\s*(\\d+))\\s*[:\\-]?\\s*(.*)$", Pattern.DOTALL);

    private LogNogResponse() {}

    /**
     * What LogNog's answer means for the request's events.
     *
     * @param result for the events of the request (indexes count in the request's {@code events} array)
     * @param rejected how many events LogNog said it rejected (0 when none)
     * @param unidentified how many of those LogNog did not name; they are neither resent nor dead-lettered
     * @param errors LogNog's error texts, redacted, joined with "; " (empty when there are none)
     */
    record Outcome(DeliveryResult result, long rejected, long unidentified, String errors) {}

    /** The outcome for a LogNog answer body; empty when the body is not LogNog's summary (classify by status). */
    static Optional<Outcome> interpret(byte[] body, int batchSize, Redactor redactor)
    {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        Object parsed;
        try {
            parsed = JsonReader.parse(new String(body, StandardCharsets.UTF_8));
        }
        catch (IllegalArgumentException notJson) {
            return Optional.empty();
        }
        if (!(parsed instanceof Map)) {
            return Optional.empty();
        }
        Map<?, ?> summary = (Map<?, ?>) parsed;
        if (!summary.containsKey("accepted") && !summary.containsKey("rejected")) {
            return Optional.empty();
        }
        long rejectedCount = number(summary.get("rejected")).orElse(-1L);
        List<?> errors = summary.get("errors") instanceof List ? (List<?>) summary.get("errors") : List.of();
        if (rejectedCount == 0 || (rejectedCount < 0 && errors.isEmpty())) {
            return Optional.of(new Outcome(DeliveryResult.delivered(), 0, 0, ""));
        }

        Map<Integer, String> byIndex = new LinkedHashMap<>();
        List<String> texts = new ArrayList<>();
        for (Object error : errors) {
            IndexedError indexed = indexed(error, redactor);
            texts.add(indexed.reason());
            if (indexed.index() >= 0 && indexed.index() < batchSize) {
                byIndex.merge(indexed.index(), indexed.reason(), (first, second) -> first + "; " + second);
            }
        }
        String allErrors = texts.isEmpty() ? "no reason given" : redactor.clean(String.join("; ", texts));
        long rejected = rejectedCount >= 0 ? rejectedCount : Math.max(byIndex.size(), errors.size());
        if (!byIndex.isEmpty() && byIndex.size() >= rejected) {
            Map<Integer, String> reasons = new LinkedHashMap<>();
            byIndex.forEach((index, reason) -> reasons.put(index, "LogNog rejected the event: " + reason));
            return Optional.of(new Outcome(DeliveryResult.partiallyRejected(reasons), rejected, 0, allErrors));
        }
        if (rejected >= batchSize) {
            Map<Integer, String> reasons = new LinkedHashMap<>();
            for (int i = 0; i < batchSize; i++) {
                reasons.put(i, byIndex.containsKey(i) ? "LogNog rejected the event: " + byIndex.get(i) : "LogNog rejected the whole batch: " + allErrors);
            }
            return Optional.of(new Outcome(DeliveryResult.partiallyRejected(reasons), rejected, 0, allErrors));
        }
        long unidentified = rejected - byIndex.size();
        if (byIndex.isEmpty()) {
            return Optional.of(new Outcome(DeliveryResult.delivered(), rejected, unidentified, allErrors));
        }
        Map<Integer, String> reasons = new LinkedHashMap<>();
        byIndex.forEach((index, reason) -> reasons.put(index, "LogNog rejected the event: " + reason));
        return Optional.of(new Outcome(DeliveryResult.partiallyRejected(reasons), rejected, unidentified, allErrors));
    }

    private static IndexedError indexed(Object error, Redactor redactor)
    {
        if (error instanceof Map) {
            Map<?, ?> object = (Map<?, ?>) error;
            long index = number(object.get("index")).or(() -> number(object.get("event_index"))).orElse(-1L);
            String reason = null;
            for (String key : new String[] {"error", "message", "reason"}) {
                if (object.get(key) instanceof String) {
                    reason = (String) object.get(key);
                    break;
                }
            }
            if (reason == null) {
                StringBuilder json = new StringBuilder();
                JsonWriter.writeValue(json, object);
                reason = json.toString();
            }
            return new IndexedError(index > Integer.MAX_VALUE ? -1 : (int) index, redactor.clean(reason));
        }
        String text = error instanceof String ? (String) error : String.valueOf(error);
        Matcher matcher = INDEXED_TEXT.matcher(text);
        if (matcher.matches()) {
            for (int group = 1; group <= 4; group++) {
                if (matcher.group(group) != null) {
                    try {
                        return new IndexedError(Integer.parseInt(matcher.group(group)), redactor.clean(matcher.group(5)));
                    }
                    catch (NumberFormatException tooLarge) {
                        break;
                    }
                }
            }
        }
        return new IndexedError(-1, redactor.clean(text));
    }

    private static Optional<Long> number(Object value)
    {
        if (value instanceof Long) {
            return Optional.of((Long) value);
        }
        if (value instanceof Double && ((Double) value) == Math.rint((Double) value)) {
            return Optional.of(((Double) value).longValue());
        }
        return Optional.empty();
    }

    private record IndexedError(int index, String reason) {}
}
