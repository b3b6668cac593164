package dev.keepaliveagent.it;

import static dev.keepaliveagent.it.DeadPeerChecks.START;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IPv6 addresses in the agent's lines as `ip` and `ss` print them: {@code [::1]:5432}, not {@code [0:0:0:0:0:0:0:1]:5432}. */
class Ipv6AddressesIT {

    @Test
    void aDeadPeerLineWritesIpv6InItsShortForm() throws Exception {
        InetAddress loopback = InetAddress.getByName("::1");
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             ForkedJvm client = ForkedJvm.start("idle=600", List.of(), List.of(), DeadPeerScenario.class.getName(),
                     "client", "socket", "::1", String.valueOf(server.getLocalPort()))) {
            try (Socket accepted = server.accept()) {
                client.awaitLine("CONNECTED", START);
                accepted.setSoLinger(true, 0); // closing now sends a reset: a peer that dropped the connection abruptly
            }
            String failed = client.awaitLine("FAILED", Duration.ofSeconds(30));
            assertTrue(failed.contains("Connection reset"), failed);
            String line = DeadPeerChecks.onlyDeadPeerLine(client);
            assertTrue(line.contains("dead peer [::1]:" + server.getLocalPort() + " (local [::1]:"), line);
        }
    }
}
