package dev.keepaliveagent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * A child-JVM app that opens one TCP connection of a given kind on loopback, with no keepalive code
 * of its own (unless the kind is about an app that changes keepalive), prints what
 * {@code getOption} says of both ends, and holds the connection open until its standard input
 * ends:
 * <pre>
 * SOCKET tested local=41000 remote=36000 keepalive=true idle=600 intvl=60 cnt=20
 * SOCKET peer local=36000 remote=41000 keepalive=true idle=600 intvl=60 cnt=20
 * READY
 * </pre>
 */
public final class ConnectionScenario {

    static final String[] CLIENT_KINDS = {
        "socket-constructor", "socket-connect", "socket-connect-timeout", "socket-factory", "ssl-socket",
        "socket-adaptor", "channel-open", "channel-blocking", "channel-nonblocking",
        "async-connect-future", "async-connect-handler",
    };
    static final String[] SERVER_KINDS = {
        "server-socket-accept", "server-socket-adaptor-accept", "channel-accept-blocking",
        "channel-accept-nonblocking", "async-accept-future", "async-accept-handler",
    };
    static final String[] APP_KINDS = {
        "app-disables-socket", "app-disables-channel", "app-stricter-after-connect", "app-stricter-before-connect",
    };

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Object[] ends = open(kind);
        print("tested", ends[0]);
        print("peer", ends[1]);
        System.out.println("READY");
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        System.out.println("SUPPRESSED " + ScenarioLauncher.suppressedErrors());
    }

    /** Returns {tested end, peer end}: a Socket or a NetworkChannel each. */
    private static Object[] open(String kind) throws Exception {
        switch (kind) {
            case "socket-constructor":
            case "socket-connect":
            case "socket-connect-timeout":
            case "socket-factory":
            case "ssl-socket":
            case "socket-adaptor":
            case "channel-open":
            case "channel-blocking":
            case "channel-nonblocking":
            case "async-connect-future":
            case "async-connect-handler":
            case "app-disables-socket":
            case "app-disables-channel":
            case "app-stricter-after-connect":
            case "app-stricter-before-connect": {
                ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
                InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.getLocalPort());
                Object client = connect(kind, address);
                Socket accepted = server.accept();
                return new Object[] {client, accepted};
            }
            default:
                return accept(kind);
        }
    }

    private static Object connect(String kind, InetSocketAddress address) throws Exception {
        switch (kind) {
            case "socket-constructor":
                return new Socket(address.getAddress(), address.getPort());
            case "socket-connect": {
                Socket socket = new Socket();
                socket.connect(address);
                return socket;
            }
            case "socket-connect-timeout": {
                Socket socket = new Socket();
                socket.connect(address, 5_000);
                return socket;
            }
            case "socket-factory":
                return SocketFactory.getDefault().createSocket(address.getAddress(), address.getPort());
            case "ssl-socket":
                // The TCP connection is made here; no handshake is needed to see its options.
                return SSLSocketFactory.getDefault().createSocket(address.getAddress(), address.getPort());
            case "socket-adaptor": {
                Socket socket = SocketChannel.open().socket();
                socket.connect(address);
                return socket;
            }
            case "channel-open":
                return SocketChannel.open(address);
            case "channel-blocking": {
                SocketChannel channel = SocketChannel.open();
                channel.connect(address);
                return channel;
            }
            case "channel-nonblocking": {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                if (!channel.connect(address)) {
                    try (Selector selector = Selector.open()) {
                        channel.register(selector, SelectionKey.OP_CONNECT);
                        while (!channel.finishConnect()) {
                            selector.select(1_000);
                        }
                    }
                }
                return channel;
            }
            case "async-connect-future": {
                AsynchronousSocketChannel channel = AsynchronousSocketChannel.open();
                channel.connect(address).get(10, TimeUnit.SECONDS);
                return channel;
            }
            case "async-connect-handler": {
                AsynchronousSocketChannel channel = AsynchronousSocketChannel.open();
                CompletableFuture<Void> done = new CompletableFuture<>();
                channel.connect(address, null, handler(done));
                done.get(10, TimeUnit.SECONDS);
                return channel;
            }
            case "app-disables-socket": {
                Socket socket = new Socket(address.getAddress(), address.getPort());
                socket.setKeepAlive(false);
                Options.set(socket, Options.IDLE, 7200);
                Options.set(socket, Options.INTERVAL, 600);
                Options.set(socket, Options.COUNT, 100);
                return socket;
            }
            case "app-disables-channel": {
                SocketChannel channel = SocketChannel.open(address);
                channel.setOption(StandardSocketOptions.SO_KEEPALIVE, false);
                Options.set(channel, Options.IDLE, 7200);
                Options.set(channel, Options.INTERVAL, 600);
                Options.set(channel, Options.COUNT, 100);
                return channel;
            }
            case "app-stricter-after-connect": {
                Socket socket = new Socket(address.getAddress(), address.getPort());
                Options.set(socket, Options.IDLE, 30);
                Options.set(socket, Options.INTERVAL, 5);
                Options.set(socket, Options.COUNT, 2);
                socket.setKeepAlive(true);
                return socket;
            }
            case "app-stricter-before-connect": {
                Socket socket = new Socket();
                socket.setKeepAlive(true);
                Options.set(socket, Options.IDLE, 30);
                Options.set(socket, Options.INTERVAL, 5);
                Options.set(socket, Options.COUNT, 2);
                socket.connect(address);
                return socket;
            }
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    private static Object[] accept(String kind) throws Exception {
        switch (kind) {
            case "server-socket-accept": {
                ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
                Socket client = new Socket(LOOPBACK, server.getLocalPort());
                return new Object[] {server.accept(), client};
            }
            case "server-socket-adaptor-accept": {
                ServerSocket server = ServerSocketChannel.open().socket();
                server.bind(new InetSocketAddress(LOOPBACK, 0));
                Socket client = new Socket(LOOPBACK, server.getLocalPort());
                return new Object[] {server.accept(), client};
            }
            case "channel-accept-blocking": {
                ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
                Socket client = new Socket(LOOPBACK, port(server));
                return new Object[] {server.accept(), client};
            }
            case "channel-accept-nonblocking": {
                ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
                server.configureBlocking(false);
                Socket client = new Socket(LOOPBACK, port(server));
                SocketChannel accepted;
                try (Selector selector = Selector.open()) {
                    server.register(selector, SelectionKey.OP_ACCEPT);
                    while ((accepted = server.accept()) == null) {
                        selector.select(1_000);
                    }
                }
                return new Object[] {accepted, client};
            }
            case "async-accept-future": {
                AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                        .bind(new InetSocketAddress(LOOPBACK, 0));
                Future<AsynchronousSocketChannel> accepted = server.accept();
                Socket client = new Socket(LOOPBACK, port(server));
                return new Object[] {accepted.get(10, TimeUnit.SECONDS), client};
            }
            case "async-accept-handler": {
                AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                        .bind(new InetSocketAddress(LOOPBACK, 0));
                CompletableFuture<AsynchronousSocketChannel> accepted = new CompletableFuture<>();
                server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
                    @Override
                    public void completed(AsynchronousSocketChannel channel, Void attachment) {
                        accepted.complete(channel);
                    }

                    @Override
                    public void failed(Throwable failure, Void attachment) {
                        accepted.completeExceptionally(failure);
                    }
                });
                Socket client = new Socket(LOOPBACK, port(server));
                return new Object[] {accepted.get(10, TimeUnit.SECONDS), client};
            }
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    private static CompletionHandler<Void, Void> handler(CompletableFuture<Void> done) {
        return new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void result, Void attachment) {
                done.complete(null);
            }

            @Override
            public void failed(Throwable failure, Void attachment) {
                done.completeExceptionally(failure);
            }
        };
    }

    private static int port(NetworkChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private static void print(String role, Object end) throws IOException {
        int local;
        int remote;
        if (end instanceof Socket) {
            local = ((Socket) end).getLocalPort();
            remote = ((Socket) end).getPort();
        } else if (end instanceof SocketChannel) {
            local = port((SocketChannel) end);
            remote = ((InetSocketAddress) ((SocketChannel) end).getRemoteAddress()).getPort();
        } else {
            local = port((AsynchronousSocketChannel) end);
            remote = ((InetSocketAddress) ((AsynchronousSocketChannel) end).getRemoteAddress()).getPort();
        }
        System.out.println("SOCKET " + role + " local=" + local + " remote=" + remote
                + " keepalive=" + option(end, StandardSocketOptions.SO_KEEPALIVE)
                + " idle=" + option(end, Options.IDLE)
                + " intvl=" + option(end, Options.INTERVAL)
                + " cnt=" + option(end, Options.COUNT));
    }

    private static <T> T option(Object end, SocketOption<T> option) throws IOException {
        if (end instanceof Socket && ((Socket) end).getChannel() != null) {
            // A channel's socket adaptor: on JDK 11 its getOption(SocketOption) reads a fresh socket of
            // its own (SocketAdaptor does not override it there), so the channel is asked instead.
            end = ((Socket) end).getChannel();
        }
        return Options.get(end, option);
    }
}
