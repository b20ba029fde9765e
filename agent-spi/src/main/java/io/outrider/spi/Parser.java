package io.outrider.spi;

/**
 * Turns one event into structured events: the raw line of a file input into {@code auth.login_failed} with
 * {@code source.ip}, for example.
 *
 * <p>Created by a {@link ParserFactory} for each input of its pipeline when the input starts (again when inputs
 * resume after a pause). The agent calls {@link #parse} for every event of that input, in order, on the input's
 * thread only; calls for one parser instance are therefore never concurrent and come from one input's stream, so a
 * parser may keep bounded state across lines (e.g. per-process session tables) without locking. A parser performs
 * no I/O.
 *
 * <p>Parsers of a pipeline form a chain in the order written in the configuration: each parser sees the result of
 * the ones before it. An event no parser matched is kept or dropped by the pipeline's {@code unmatched} policy.
 */
@Stable
public interface Parser
{
    /**
     * Parses one event.
     *
     * @return {@link ParseResult#matched} with the event(s) that replace the input, or {@link ParseResult#unmatched()}
     *         when this parser does not recognise it (the event then goes on unchanged). Never {@code null}.
     * @throws RuntimeException a bug or an unexpected input: the agent counts a parse error for this parser, logs it
     *         (rate-limited) and treats the event as unmatched; it is never fatal.
     */
    ParseResult parse(Event event);

    /** Called once when the input it serves stops, normally on that input's thread. Releases nothing by default. */
    default void close() {}
}
