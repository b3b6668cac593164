package dev.keepaliveagent.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child-JVM app on Netty's native transport, with no keepalive code of its own: a client and a
 * server on loopback (prints both ends as {@link ConnectionScenario} does, then holds them until
 * its standard input ends), or a client of a peer elsewhere that waits for its connection to fail.
 * Runs on Netty 4.1 and 4.2 alike (epoll through {@code EpollEventLoopGroup}, kept in 4.2).
 * <pre>
 * NettyScenario epoll|io_uring loopback [IDLE]   IDLE: the app turns keepalive on with this idle itself (epoll)
 * NettyScenario epoll|io_uring loopback loosens  once connected, the app switches keepalive off and sets idle=7200
 * NettyScenario epoll client HOST PORT     prints CONNECTED local=… then FAILED &lt;exception&gt;
 * </pre>
 */
public final class NettyScenario {

    public static void main(String[] args) throws Exception {
        String transport = args[0];
        if (transport.equals("epoll") && !Epoll.isAvailable()) {
            throw new IllegalStateException("epoll is not available", Epoll.unavailabilityCause());
        }
        EventLoopGroup group = transport.equals("epoll") ? new EpollEventLoopGroup(2) : NettyUring.group();
        try {
            if (args[1].equals("loopback")) {
                boolean loosens = args.length > 2 && args[2].equals("loosens");
                loopback(transport, group, args.length > 2 && !loosens ? Integer.valueOf(args[2]) : null, loosens);
            } else {
                client(transport, group, new InetSocketAddress(args[2], Integer.parseInt(args[3])));
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        System.out.println("SUPPRESSED " + ScenarioLauncher.suppressedErrors());
    }

    private static void loopback(String transport, EventLoopGroup group, Integer appIdle, boolean loosens) throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        ServerBootstrap serverBootstrap = new ServerBootstrap();
        Bootstrap clientBootstrap = new Bootstrap();
        if (appIdle != null) {
            serverBootstrap.childOption(ChannelOption.SO_KEEPALIVE, true).childOption(EpollChannelOption.TCP_KEEPIDLE, appIdle);
            clientBootstrap.option(ChannelOption.SO_KEEPALIVE, true).option(EpollChannelOption.TCP_KEEPIDLE, appIdle);
        }
        Channel server = serverBootstrap.group(group)
                .channel(serverChannel(transport))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        accepted.complete(channel);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        Channel client = clientBootstrap.group(group)
                .channel(clientChannel(transport))
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
        Channel peer = accepted.get(10, TimeUnit.SECONDS);
        awaitConfiguredByTheAgent(peer);
        if (loosens) {
            // Both of Netty's ways: its generic setOption, and the config's own setter (through its bridge method).
            client.config().setOption(ChannelOption.SO_KEEPALIVE, false);
            client.config().setOption(idleOption(transport), 7200);
            ((SocketChannelConfig) peer.config()).setKeepAlive(false);
            peer.config().setOption(idleOption(transport), 7200);
        }
        print("tested", client, transport);
        print("peer", peer, transport);
        System.out.println("READY");
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        client.close().sync();
        server.close().sync();
    }

    /**
     * The agent configures an accepted channel on its event loop as it registers, which may come after the
     * app has it (Netty 4.2's io_uring registers after initChannel): with the agent there, wait until the
     * channel says so (at most 10 s; what it then says is the test's to check).
     */
    private static void awaitConfiguredByTheAgent(Channel channel) throws InterruptedException {
        if (ScenarioLauncher.suppressedErrors() < 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Boolean.TRUE.equals(channel.config().getOption(ChannelOption.SO_KEEPALIVE)) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static void client(String transport, EventLoopGroup group, InetSocketAddress remote) throws Exception {
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        Channel client = new Bootstrap().group(group)
                .channel(clientChannel(transport))
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
                        failed.complete(cause);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext context) {
                        failed.complete(null);
                    }
                })
                .connect(remote).sync().channel();
        System.out.println("CONNECTED local=" + address(client.localAddress()) + " remote=" + address(client.remoteAddress()));
        Throwable cause = failed.get();
        System.out.println(cause == null ? "EOF" : "FAILED " + cause);
        client.close().sync();
    }

    private static Class<? extends ServerChannel> serverChannel(String transport) {
        return transport.equals("epoll") ? EpollServerSocketChannel.class : NettyUring.serverChannel();
    }

    private static Class<? extends Channel> clientChannel(String transport) {
        return transport.equals("epoll") ? EpollSocketChannel.class : NettyUring.clientChannel();
    }

    private static ChannelOption<Integer> idleOption(String transport) {
        return transport.equals("epoll") ? EpollChannelOption.TCP_KEEPIDLE : NettyUring.idle();
    }

    private static void print(String role, Channel channel, String transport) {
        ChannelConfig config = channel.config();
        Object idle = config.getOption(idleOption(transport));
        Object intvl = config.getOption(transport.equals("epoll") ? EpollChannelOption.TCP_KEEPINTVL : NettyUring.interval());
        Object cnt = config.getOption(transport.equals("epoll") ? EpollChannelOption.TCP_KEEPCNT : NettyUring.count());
        System.out.println("SOCKET " + role + " local=" + ((InetSocketAddress) channel.localAddress()).getPort()
                + " remote=" + ((InetSocketAddress) channel.remoteAddress()).getPort()
                + " keepalive=" + config.getOption(ChannelOption.SO_KEEPALIVE)
                + " idle=" + idle + " intvl=" + intvl + " cnt=" + cnt);
    }

    private static String address(java.net.SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
}
