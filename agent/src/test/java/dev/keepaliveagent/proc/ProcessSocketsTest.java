package dev.keepaliveagent.proc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's table of TCP sockets, as a process's {@code /proc/PID/net/tcp} shows it. */
class ProcessSocketsTest {

    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
    private static final String LISTENING = "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0";
    private static final String KEEPALIVE = "   1: 0200000A:9C40 0100000A:1538 01 00000000:00000000 02:0000EA5F 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1";

    @Test
    void aRowSplitsIntoItsColumnsAtRunsOfSpaces() {
        String[] fields = ProcessSockets.fields(KEEPALIVE);
        assertEquals(17, fields.length);
        assertArrayEquals(new String[] {"1:", "0200000A:9C40", "0100000A:1538", "01"}, java.util.Arrays.copyOf(fields, 4));
        assertEquals("4343", fields[9]);
        assertEquals(0, ProcessSockets.fields("   ").length);
    }

    @Test
    void onlyTheSocketsOfTheProcessAreRead(@TempDir Path process) throws Exception {
        Files.createDirectories(process.resolve("net"));
        Files.write(process.resolve("net").resolve("tcp"), List.of(HEADER, LISTENING, KEEPALIVE));
        List<ProcessSockets.Row> rows = ProcessSockets.tcpSockets(process, Map.of("4343", 7));
        assertEquals(1, rows.size());
        ProcessSockets.Row row = rows.get(0);
        assertEquals(ProcessSockets.ESTABLISHED, row.state);
        assertEquals(new InetSocketAddress("10.0.0.2", 40000), row.local);
        assertEquals(new InetSocketAddress("10.0.0.1", 5432), row.remote);
        assertEquals(2, row.timer, "keepalive timer");
        assertEquals(0xEA5F, row.whenCentiseconds);
        assertEquals(ProcessSockets.LISTEN, ProcessSockets.tcpSockets(process, Map.of("4242", 3)).get(0).state);
        assertEquals(List.of(), ProcessSockets.tcpSockets(process, Map.of()), "a process without sockets");
    }

    /**
     * A host's tables may hold tens of thousands of TIME_WAIT rows (inode 0, no process's): the listening
     * ports are read from the rows the kernel lists first, and the reading stops at the first other one.
     */
    @Test
    void theListeningPortsAreTheRowsBeforeTheFirstOtherOne(@TempDir Path process) throws Exception {
        Files.createDirectories(process.resolve("net"));
        String timeWait = "   2: 0100007F:A000 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000";
        String listeningAfter = LISTENING.replace(":1F90 00000000:0000", ":2000 00000000:0000");
        Files.write(process.resolve("net").resolve("tcp"), List.of(HEADER, LISTENING, KEEPALIVE, timeWait, listeningAfter));
        assertEquals(java.util.Set.of(8080), ProcessSockets.listeningPorts(process),
                "the kernel lists every listening socket before any other; a row after them is not one");
        assertEquals(1, ProcessSockets.tcpSockets(process, Map.of("4343", 7)).size(), "the process's one connection");
        assertEquals("0", ProcessSockets.field(timeWait, 9));
        assertEquals("06", ProcessSockets.field(timeWait, 3));
        assertEquals(null, ProcessSockets.field(timeWait, 40));
    }
}
