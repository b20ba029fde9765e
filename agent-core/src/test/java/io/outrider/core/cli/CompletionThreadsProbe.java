package io.outrider.core.cli;

import com.sun.net.httpserver.HttpServer;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Run in a child JVM by {@link TestCompletionThreads}: posts requests to a loopback server with an {@link HttpClient}
 * set up as output-http's (an executor of two threads) and prints how many threads the JVM started meanwhile.
 * With the argument {@code main} it first does what {@link Main#main} does about the common pool.
 */
public final class CompletionThreadsProbe
{
    static final int REQUESTS = 200;

    private CompletionThreadsProbe() {}

    public static void main(String[] args)
            throws Exception
    {
        if (args.length > 0 && args[0].equals("main")) {
            Main.useSharedCompletionThreads();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor).build();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        HttpRequest request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        // the first requests start the client's, the server's and the pool's threads for good
        for (int i = 0; i < 10; i++) {
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).get();
        }
        long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        for (int i = 0; i < REQUESTS; i++) {
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).get();
        }
        long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
        System.out.println("threads started: " + started);
        server.stop(0);
        executor.shutdownNow();
        System.exit(0);
    }
}
