package io.outrider.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A collector on 127.0.0.1 for the fault tests: it takes ndjson batches of lines written as {@code line N ...},
 * records every number it accepted (duplicates included, in arrival order) and answers each request as a script
 * says, so a test can count exactly what was lost and what was delivered twice.
 */
final class NumberedCollector
        implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("^line (\\d+)\\b");

    /** What the collector does with one request. */
    record Answer(int status, String body)
    {
        static Answer accept()
        {
            return new Answer(200, "");
        }
    }

    private final HttpServer server;
    private final List<Integer> accepted = new ArrayList<>();
    private final List<String> otherMessages = new ArrayList<>();
    private volatile IntFunction<Answer> script = request -> Answer.accept();
    private int requests;

    NumberedCollector()
            throws IOException
    {
        this(0);
    }

    NumberedCollector(int port)
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                int request;
                synchronized (this) {
                    request = ++requests;
                }
                Answer answer = script.apply(request);
                if (answer.status() == 200) {
                    record(body);
                }
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    exchange.getResponseBody().write(bytes);
                }
            }
        });
        server.start();
    }

    /** From now on, answers request number n (1-based, counted since start) as the script says. */
    void answer(IntFunction<Answer> script)
    {
        this.script = script;
    }

    int port()
    {
        return server.getAddress().getPort();
    }

    String endpoint()
    {
        return "http://127.0.0.1:" + port() + "/ingest";
    }

    private void record(String body)
            throws IOException
    {
        List<Integer> numbers = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            String message = event.path("message").asText();
            Matcher matcher = NUMBER.matcher(message);
            if (matcher.find()) {
                numbers.add(Integer.parseInt(matcher.group(1)));
            }
            else {
                others.add(message);
            }
        }
        synchronized (this) {
            accepted.addAll(numbers);
            otherMessages.addAll(others);
            notifyAll();
        }
    }

    synchronized List<Integer> accepted()
    {
        return List.copyOf(accepted);
    }

    synchronized List<String> otherMessages()
    {
        return List.copyOf(otherMessages);
    }

    synchronized int requests()
    {
        return requests;
    }

    /** Waits until every number below {@code count} was accepted at least once. */
    synchronized void awaitAll(int count, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (distinctBelow(count) < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the collector has " + distinctBelow(count) + " of " + count + " numbered lines after " + timeout + "; missing: " + missing(count));
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
        }
    }

    private long distinctBelow(int count)
    {
        return accepted.stream().filter(n -> n < count).distinct().count();
    }

    /** The numbers below {@code count} never accepted: lost events. */
    synchronized List<Integer> missing(int count)
    {
        boolean[] seen = new boolean[count];
        accepted.forEach(n -> {
            if (n < count) {
                seen[n] = true;
            }
        });
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < count && missing.size() < 50; i++) {
            if (!seen[i]) {
                missing.add(i);
            }
        }
        return missing;
    }

    /** How many deliveries were repeats of a number already accepted. */
    synchronized int duplicates()
    {
        Map<Integer, Integer> times = new HashMap<>();
        accepted.forEach(n -> times.merge(n, 1, Integer::sum));
        return times.values().stream().mapToInt(t -> t - 1).sum();
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
