package io.outrider.core.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/** The events collectors refused permanently, with the output that refused them and its reason, until replayed or purged. */
final class DeadLetterStore
{
    /** The component replayed events are buffered as. */
    static final String REPLAY_COMPONENT = "dead-letter-replay";

    private final BufferDatabase database;
    private final EventCodec codec;

    DeadLetterStore(BufferDatabase database, EventCodec codec)
    {
        this.database = requireNonNull(database, "database is null");
        this.codec = requireNonNull(codec, "codec is null");
    }

    /** Files an output's dead letters within the caller's transaction; the caller holds the write lock. */
    void insert(String pipeline, String output, List<SqliteBuffer.DeadLetterRequest> requests, long nowMillis)
            throws SQLException
    {
        if (requests.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = database.writer().prepareStatement("INSERT INTO dead_letters (pipeline, output, seq, failed_at, reason, payload) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (SqliteBuffer.DeadLetterRequest request : requests) {
                insert.setString(1, pipeline);
                insert.setString(2, output);
                insert.setLong(3, request.event().seq());
                insert.setLong(4, nowMillis);
                insert.setString(5, request.reason());
                insert.setBytes(6, request.event().payload());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    List<DeadLetter> list(Optional<String> pipeline, Optional<String> output, int limit)
            throws SQLException
    {
        return database.locked(() -> {
            try (PreparedStatement select = database.writer().prepareStatement("SELECT id, pipeline, output, seq, failed_at, reason, payload FROM dead_letters"
                    + " WHERE (? IS NULL OR pipeline = ?) AND (? IS NULL OR output = ?) ORDER BY id LIMIT ?")) {
                select.setString(1, pipeline.orElse(null));
                select.setString(2, pipeline.orElse(null));
                select.setString(3, output.orElse(null));
                select.setString(4, output.orElse(null));
                select.setInt(5, limit);
                List<DeadLetter> letters = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        letters.add(new DeadLetter(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getLong(4), rows.getLong(5), rows.getString(6), rows.getBytes(7), codec));
                    }
                }
                return letters;
            }
        });
    }

    long count(String pipeline, String output)
            throws SQLException
    {
        return database.locked(() -> {
            try (PreparedStatement select = database.writer().prepareStatement("SELECT COUNT(*) FROM dead_letters WHERE pipeline = ? AND output = ?")) {
                select.setString(1, pipeline);
                select.setString(2, output);
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    /** What a replay put back (events, bytes) and kept, per {@code pipeline.output} whose output is gone. */
    record Replayed(int events, long bytes, Map<String, Integer> keptForGoneOutputs)
    {
    }

    /**
     * Puts the dead letters of {@code pipeline} and {@code output} (any, when empty) back as new events of their
     * pipeline and deletes them here, within the caller's transaction (listed in it too: another process may file or
     * replay letters meanwhile); the caller holds the write lock. With {@code onlyForRefusingOutput}, each event is
     * delivered to the output that refused it only, and a letter whose output has no cursor any more (no longer
     * configured) is kept: nobody would deliver it.
     */
    Replayed replay(Optional<String> pipeline, Optional<String> output, boolean onlyForRefusingOutput, long nowMillis)
            throws SQLException
    {
        Set<Map.Entry<String, String>> outputs = new HashSet<>();
        try (PreparedStatement select = database.writer().prepareStatement("SELECT pipeline, output FROM cursors");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                outputs.add(Map.entry(rows.getString(1), rows.getString(2)));
            }
        }
        Map<String, Integer> kept = new TreeMap<>();
        int events = 0;
        long bytes = 0;
        // consecutive letters for the same pipeline and output become one block, in the order they were filed
        List<DeadLetter> run = new ArrayList<>();
        try (PreparedStatement delete = database.writer().prepareStatement("DELETE FROM dead_letters WHERE id = ?")) {
            for (DeadLetter letter : list(pipeline, output, Integer.MAX_VALUE)) {
                if (onlyForRefusingOutput && !outputs.contains(Map.entry(letter.pipeline(), letter.output()))) {
                    kept.merge(letter.pipeline() + "." + letter.output(), 1, Integer::sum);
                    continue;
                }
                if (!run.isEmpty() && !(run.get(0).pipeline().equals(letter.pipeline()) && (!onlyForRefusingOutput || run.get(0).output().equals(letter.output())))) {
                    insertRun(run, onlyForRefusingOutput, nowMillis);
                    run.clear();
                }
                run.add(letter);
                delete.setLong(1, letter.id());
                delete.executeUpdate();
                events++;
                bytes += letter.payload().length;
            }
        }
        if (!run.isEmpty()) {
            insertRun(run, onlyForRefusingOutput, nowMillis);
        }
        return new Replayed(events, bytes, kept);
    }

    /** Buffers letters of one pipeline (and one output, {@code onlyForRefusingOutput}) as new events, with new numbers. */
    private void insertRun(List<DeadLetter> run, boolean onlyForRefusingOutput, long nowMillis)
            throws SQLException
    {
        List<byte[]> payloads = run.stream().map(DeadLetter::payload).toList();
        long first = database.takeSequenceNumbers(payloads.size());
        EventLog.insertBlocks(database, run.get(0).pipeline(), REPLAY_COMPONENT, nowMillis, onlyForRefusingOutput ? run.get(0).output() : null, payloads, first);
    }

    int purge(Optional<String> pipeline, Optional<String> output)
            throws SQLException
    {
        try (PreparedStatement delete = database.writer().prepareStatement("DELETE FROM dead_letters WHERE (? IS NULL OR pipeline = ?) AND (? IS NULL OR output = ?)")) {
            delete.setString(1, pipeline.orElse(null));
            delete.setString(2, pipeline.orElse(null));
            delete.setString(3, output.orElse(null));
            delete.setString(4, output.orElse(null));
            return delete.executeUpdate();
        }
    }
}
