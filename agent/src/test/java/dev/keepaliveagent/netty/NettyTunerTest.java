package dev.keepaliveagent.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keepaliveagent.config.AgentArgumentsAccess;
import dev.keepaliveagent.lifecycle.Lifecycle;
import dev.keepaliveagent.netty.fake.channel.epoll.FakeEpollSocketChannel;
import dev.keepaliveagent.observe.Telemetry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The first connection of each Netty kind is read back through Netty, as a JDK socket's is through its descriptor. */
class NettyTunerTest {

    private final Telemetry telemetry = new Telemetry();
    private final NettyTuner tuner = new NettyTuner(AgentArgumentsAccess.rules("idle=600,intvl=60,cnt=20,utimeout=off"), new Lifecycle(telemetry));
    private final InetSocketAddress server = new InetSocketAddress("127.0.0.1", 5432);

    @Test
    void theFirstConnectionIsReadBackAndTheLaterOnesAreNot() {
        List<FakeEpollSocketChannel> channels = List.of(new FakeEpollSocketChannel(false), new FakeEpollSocketChannel(false),
                new FakeEpollSocketChannel(false));
        for (FakeEpollSocketChannel channel : channels) {
            tuner.connected(channel, server);
        }
        assertEquals(Set.of("netty epoll connect"), tuner.verifiedKinds());
        assertEquals(Map.of(), telemetry.readBackMismatchesByKind());
        // Each asks Netty whether the app turned keepalive on itself; the first alone reads the four options back.
        assertEquals(List.of(5, 1, 1), List.of(channels.get(0).reads, channels.get(1).reads, channels.get(2).reads));
        assertEquals(Map.of("netty epoll connect", 3L), telemetry.configuredByKind());
    }

    @Test
    void aNettyThatTakesTheOptionsWithoutEffectIsFoundOut() {
        for (int i = 0; i < 3; i++) {
            tuner.connected(new FakeEpollSocketChannel(true), server);
        }
        assertEquals(Map.of("netty epoll connect", 1L), telemetry.readBackMismatchesByKind(), "one kind, counted once");
        assertEquals(Set.of(), tuner.verifiedKinds());
    }
}
