package dev.keepaliveagent.it;

import java.util.HashMap;
import java.util.Map;

/** One {@code SOCKET role key=value…} line of {@link ConnectionScenario}: what getOption said in the child. */
final class SocketLine {

    final String role;
    final int localPort;
    final int remotePort;
    final boolean keepalive;
    final int idle;
    final int intvl;
    final int cnt;

    private SocketLine(String role, Map<String, String> values) {
        this.role = role;
        this.localPort = Integer.parseInt(values.get("local"));
        this.remotePort = Integer.parseInt(values.get("remote"));
        this.keepalive = Boolean.parseBoolean(values.get("keepalive"));
        this.idle = Integer.parseInt(values.get("idle"));
        this.intvl = Integer.parseInt(values.get("intvl"));
        this.cnt = Integer.parseInt(values.get("cnt"));
    }

    static SocketLine parse(String line) {
        String[] words = line.split(" ");
        Map<String, String> values = new HashMap<>();
        for (int i = 2; i < words.length; i++) {
            String[] pair = words[i].split("=", 2);
            values.put(pair[0], pair[1]);
        }
        return new SocketLine(words[1], values);
    }

    @Override
    public String toString() {
        return role + " " + localPort + "->" + remotePort + " keepalive=" + keepalive
                + " idle=" + idle + " intvl=" + intvl + " cnt=" + cnt;
    }
}
