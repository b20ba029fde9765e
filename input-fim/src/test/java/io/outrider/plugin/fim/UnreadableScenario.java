package io.outrider.plugin.fim;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One start of a {@code fim} input over a tree until its first full scan, printing each file event as
 * {@code action|path|changes|sha256|error}. Run in a child JVM without the capabilities that let root read any
 * file, because the test of unreadable files needs a process for which permissions really apply.
 */
public final class UnreadableScenario
{
    private UnreadableScenario() {}

    public static void main(String[] args)
            throws Exception
    {
        for (String line : run(Path.of(args[0]), Path.of(args[1]))) {
            System.out.println(line);
        }
    }

    static List<String> run(Path tree, Path data)
            throws Exception
    {
        CollectingEmitter emitter = new CollectingEmitter();
        List<Event> events;
        try (RunningInput input = RunningInput.start(TestConfig.paths(tree).build(), TestingComponentContext.builder(data).build(), emitter)) {
            events = input.awaitScans(1);
        }
        return Trees.fileEvents(events).stream()
                .map(event -> event.field(Fields.EVENT_ACTION) + "|" + event.field(Fields.FILE_PATH) + "|" + event.field(FimEvents.FIELD_CHANGES)
                        + "|" + event.field(Fields.FILE_HASH_SHA256) + "|" + event.field("error.message"))
                .sorted()
                .collect(Collectors.toList());
    }
}
