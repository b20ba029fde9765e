package io.outrider.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestTrayStatus
{
    static String status(String outputState, String lastError, boolean paused, String bufferState, long backlog)
    {
        return """
                {"version":"0.1.0","host":"laptop","paused":%s,"buffer_state":"%s","buffer_bytes":10,"buffer_max_bytes":100,"buffer_quarantined_files":0,
                 "pipelines":[{"id":"desktop","dropped_events":0,"unmatched_events":0,
                   "inputs":[{"id":"watched_files","type":"file","state":"%s","last_error":null,"events_in":5,"events_out":0,"retries":0,"dead_letters":0,"backlog_events":0,"lag_seconds":0}],
                   "outputs":[{"id":"collector","type":"http","state":"%s","last_error":%s,"events_in":0,"events_out":3,"retries":0,"dead_letters":0,"backlog_events":%d,"lag_seconds":1.5}]}]}
                """.formatted(paused, bufferState, paused ? "paused" : "running", outputState, lastError == null ? "null" : "\"" + lastError + "\"", backlog);
    }

    private static JsonNode json(String text)
            throws Exception
    {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void connected()
            throws Exception
    {
        TrayStatus status = TrayStatus.from(json(status("running", null, false, "ok", 0)), Optional.of("collector.example"));
        assertThat(status).isEqualTo(new TrayStatus(TrayState.CONNECTED, "Connected to collector.example — 0 buffered",
                "Outrider: shipping to collector.example — 0 buffered", false));
        // without a collector in the configuration the output ids ("collector", "console") would mean nothing
        assertThat(TrayStatus.from(json(status("running", null, false, "ok", 7)), Optional.empty()))
                .isEqualTo(new TrayStatus(TrayState.CONNECTED, "Running — 7 buffered", "Outrider: running — 7 buffered", false));
    }

    @Test
    void buffering()
            throws Exception
    {
        TrayStatus status = TrayStatus.from(json(status("retrying", "connection refused", false, "ok", 42)), Optional.of("collector.example"));
        assertThat(status).isEqualTo(new TrayStatus(TrayState.BUFFERING, "Collector unreachable, retrying — 42 buffered",
                "Outrider buffering: connection refused", false));
        assertThat(TrayStatus.from(json(status("running", null, false, "back_pressure", 9)), Optional.empty()).state()).isEqualTo(TrayState.BUFFERING);
        TrayStatus paused = TrayStatus.from(json(status("running", null, true, "ok", 0)), Optional.empty());
        assertThat(paused).isEqualTo(new TrayStatus(TrayState.BUFFERING, "Paused — 0 buffered", "Outrider: inputs paused; choose Resume to continue", true));
    }

    @Test
    void anErrorIsSaidInShortInTheTooltipAndWholeInTheStatusLine()
            throws Exception
    {
        TrayStatus status = TrayStatus.from(json(status("unauthorized", "HTTP 401: API key rejected", false, "ok", 3)), Optional.of("collector.example"));
        assertThat(status).isEqualTo(new TrayStatus(TrayState.ERROR, "Error: collector unauthorized: HTTP 401: API key rejected",
                "Outrider error: the collector refused the API key", false));
        TrayStatus failed = TrayStatus.from(json(status("failed", "endpoint https://collector.example/x answered HTTP 404", false, "ok", 3)), Optional.of("collector.example"));
        assertThat(failed).isEqualTo(new TrayStatus(TrayState.ERROR, "Error: collector failed: endpoint https://collector.example/x answered HTTP 404",
                "Outrider error: collector failed, see View Logs", false));
        String heartbeatFails = status("running", null, false, "ok", 0).replace("\"lag_seconds\":1.5}", "\"lag_seconds\":1.5,\"problems\":[{\"key\":\"heartbeat\","
                + "\"detail\":\"LiteSOC heartbeats fail: HTTP 404\",\"since\":\"2026-12-07T10:00:00Z\"}]}");
        assertThat(TrayStatus.from(json(heartbeatFails), Optional.of("collector.example"))).isEqualTo(new TrayStatus(TrayState.ERROR,
                "Error: collector: LiteSOC heartbeats fail: HTTP 404", "Outrider error: collector: heartbeat problem, see View Logs", false));
        TrayStatus diskFull = TrayStatus.from(json(status("running", null, false, "disk_full", 3)), Optional.empty());
        assertThat(diskFull.statusLine()).isEqualTo("Error: the disk holding the buffer is full");
        assertThat(diskFull.tooltip()).isEqualTo("Outrider error: the buffer's disk is full");
    }

    @Test
    void noTooltipIsLongerThanAnX11TrayShows()
            throws Exception
    {
        String longError = "cannot reach https://collector.of.a.rather.long.name.example/api/ingest/agent: connection refused";
        List<TrayStatus> all = List.of(
                TrayStatus.from(json(status("running", null, false, "ok", 123456)), Optional.of("collector.of.a.rather.long.name.example")),
                TrayStatus.from(json(status("retrying", longError, false, "ok", 42)), Optional.empty()),
                TrayStatus.from(json(status("unauthorized", longError, false, "ok", 42)), Optional.empty()),
                TrayStatus.from(json(status("running", null, false, "back_pressure", 123456)), Optional.empty()),
                TrayStatus.from(json(status("running", null, true, "ok", 0)), Optional.empty()),
                TrayStatus.notRunning("http://127.0.0.1:8686/status"),
                TrayStatus.statusDisabled());
        assertThat(all).allSatisfy(status -> assertThat(status.tooltip()).hasSizeLessThanOrEqualTo(TrayStatus.MAX_TOOLTIP));
        assertThat(all.get(0).tooltip()).isEqualTo("Outrider: shipping to collector.of.a.rather.long.name.example —…");
    }

    @Test
    void notRunning()
    {
        assertThat(TrayStatus.notRunning("http://127.0.0.1:8686/status"))
                .isEqualTo(new TrayStatus(TrayState.NOT_RUNNING, "Agent not running (no answer at http://127.0.0.1:8686/status)", "Outrider: agent not running", false));
    }
}
