package io.outrider.plugin.winevent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TestQueryBuilder
{
    @Test
    void idsRangesLevelsProvidersAndExclusions()
    {
        String query = QueryBuilder.build("Security",
                EventIdSelection.parse(List.of(4624, 4625, "4700-4800", -4735)),
                Set.of(0, 4),
                List.of("Microsoft-Windows-Security-Auditing"));
        assertThat(query).isEqualTo("<QueryList><Query Id=\"0\">"
                + "<Select Path=\"Security\">*[System[((EventID &gt;= 4624 and EventID &lt;= 4625) or (EventID &gt;= 4700 and EventID &lt;= 4800))"
                + " and (Level=0 or Level=4) and Provider[@Name='Microsoft-Windows-Security-Auditing']]]</Select>"
                + "<Suppress Path=\"Security\">*[System[(EventID=4735)]]</Suppress>"
                + "</Query></QueryList>");
    }

    @Test
    void noFilterSelectsEverything()
    {
        assertThat(QueryBuilder.build("Application", EventIdSelection.ALL, Set.of(), List.of()))
                .isEqualTo("<QueryList><Query Id=\"0\"><Select Path=\"Application\">*</Select></Query></QueryList>");
        assertThat(QueryBuilder.build("Application", EventIdSelection.ALL, Set.of(2), List.of("O'Brien Tool")))
                .isEqualTo("<QueryList><Query Id=\"0\"><Select Path=\"Application\">*[System[(Level=2) and Provider[@Name=&quot;O'Brien Tool&quot;]]]</Select></Query></QueryList>");
    }

    @Test
    void manyIdsAreSpreadOverSeveralSelects()
    {
        List<Object> ids = new ArrayList<>();
        for (int id = 1; id <= 90; id += 2) {
            ids.add(id);
        }
        String query = QueryBuilder.build("System", EventIdSelection.parse(ids), Set.of(), List.of());
        assertThat(query.split("<Select ", -1)).hasSize(1 + 3);
        for (String select : query.split("<Select ")) {
            assertThat(select.split("EventID=", -1).length - 1).isLessThanOrEqualTo(QueryBuilder.MAX_CLAUSES_PER_SELECT);
        }
        assertThat(query).contains("EventID=1 ").contains("EventID=89)");
    }

    @Test
    void rawXPathIsWrappedAndStructuredQueriesAreKept()
    {
        assertThat(QueryBuilder.fromRaw("Microsoft-Windows-Sysmon/Operational", "*[System[EventID<=3]]"))
                .isEqualTo("<QueryList><Query Id=\"0\"><Select Path=\"Microsoft-Windows-Sysmon/Operational\">*[System[EventID&lt;=3]]</Select></Query></QueryList>");
        String structured = "<QueryList><Query Id='0'><Select Path='Security'>*</Select></Query></QueryList>";
        assertThat(QueryBuilder.fromRaw("Security", "  " + structured + "\n")).isEqualTo(structured);
        assertThat(QueryBuilder.isStructured(structured)).isTrue();
    }

    @Test
    void defaultSecurityQueryStaysWithinTheClauseLimit()
    {
        String query = QueryBuilder.build("Security", DefaultEventIds.selectionFor("security"), Set.of(), List.of());
        assertThat(query).contains("EventID=1102").contains("(EventID &gt;= 4624 and EventID &lt;= 4625)").contains("(EventID &gt;= 4647 and EventID &lt;= 4648)");
        assertThat(query.split("<Select ", -1)).hasSize(1 + 1);
        assertThat(QueryBuilder.build("Application", DefaultEventIds.selectionFor("Application"), Set.of(), List.of()))
                .isEqualTo("<QueryList><Query Id=\"0\"><Select Path=\"Application\">*</Select></Query></QueryList>");
    }
}
