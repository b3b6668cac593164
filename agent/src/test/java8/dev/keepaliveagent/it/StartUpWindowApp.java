package dev.keepaliveagent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Opens connections while the agent is still starting, as early as an app can: in the main class's
 * static initialiser, before {@code main} runs; in the first statement of {@code main}; one on which
 * it switches keepalive off at once, as pgjdbc does; and a server socket whose accept is under way
 * from the start. Prints {@code OPENED}, and on the line {@code check} (sent once the agent has
 * started) connects to that server socket and switches keepalive off on the connection it accepted,
 * then prints each connection as the app sees it, {@code
 * NAME keepalive=B idle=N local=PORT remote=PORT}, and {@code CHECKED}.
 *
 * <p>With {@code -Dwindow.toggle=true} the first statement also opens {@code toggled-client} and {@code
 * toggled-accepted}, and a thread switches keepalive off on the client every millisecond until the line
 * {@code check}: throughout the window, as an app that keeps calling {@code setKeepAlive(false)} would.
 *
 * <p>With {@code -Dwindow.listen=PORT} the first statement's server socket listens on that port. With
 * {@code -Dwindow.peer=HOST:PORT} the static initialiser also connects there; after the
 * first statement a thread blocks in a read on that connection, and prints {@code FAILED <exception>} when it fails.
 * With {@code -Dwindow.channels=true} besides, the static initialiser also opens a {@code SocketChannel} and an
 * {@code AsynchronousSocketChannel} to the peer, and on {@code check} (the hooks live) reads on each, printing
 * {@code NIO FAILED <exception>} and {@code ASYNC FAILED <exception>} when they fail.
 */
public final class StartUpWindowApp {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final List<Named> CONNECTIONS = new ArrayList<>();
    /** Held, as a server holds its listening sockets: one collected would be closed by its cleaner. */
    private static final List<ServerSocket> LISTENING = new ArrayList<>();
    private static final Socket PEER = connectToPeer();
    private static final java.nio.channels.SocketChannel NIO_PEER = Boolean.getBoolean("window.channels") ? nioPeer() : null;
    private static final java.nio.channels.AsynchronousSocketChannel ASYNC_PEER =
            Boolean.getBoolean("window.channels") ? asyncPeer() : null;

    static {
        openPair("static-initialiser", 0);
    }

    private static final class Named {
        final String name;
        final Socket socket;

        Named(String name, Socket socket) {
            this.name = name;
            this.socket = socket;
        }
    }

    public static void main(String[] args) throws Exception {
        openPair("first-statement", Integer.getInteger("window.listen", 0));
        java.util.concurrent.atomic.AtomicBoolean toggling = new java.util.concurrent.atomic.AtomicBoolean();
        Thread toggler = null;
        if (Boolean.getBoolean("window.toggle")) {
            openPair("toggled", 0);
            Socket toggled = CONNECTIONS.get(CONNECTIONS.size() - 2).socket;
            toggling.set(true);
            toggler = new Thread(() -> {
                try {
                    while (toggling.get()) {
                        toggled.setKeepAlive(false);
                        Thread.sleep(1);
                    }
                } catch (IOException | InterruptedException e) {
                    System.out.println("TOGGLE FAILED " + e);
                }
            }, "keepalive-toggler");
            toggler.start();
        }
        if (PEER != null) {
            Thread reader = new Thread(StartUpWindowApp::readPeer, "peer-reader"); // a read under way from the start
            reader.setDaemon(true);
            reader.start();
        }
        ServerSocket pgjdbcServer = new ServerSocket(0, 1, LOOPBACK);
        LISTENING.add(pgjdbcServer);
        Socket pgjdbc = new Socket(LOOPBACK, pgjdbcServer.getLocalPort());
        pgjdbc.setKeepAlive(false);
        CONNECTIONS.add(new Named("keepalive-off-client", pgjdbc));
        CONNECTIONS.add(new Named("keepalive-off-accepted", pgjdbcServer.accept()));
        ServerSocket waiting = new ServerSocket(0, 1, LOOPBACK);
        LISTENING.add(waiting);
        CompletableFuture<Socket> acceptUnderWay = CompletableFuture.supplyAsync(() -> {
            try {
                return waiting.accept();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        System.out.println("OPENED");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"check".equals(in.readLine())) {
            return;
        }
        toggling.set(false);
        if (toggler != null) {
            toggler.join();
        }
        CONNECTIONS.add(new Named("accept-under-way-client", new Socket(LOOPBACK, waiting.getLocalPort())));
        Socket accepted = acceptUnderWay.get();
        accepted.setKeepAlive(false);
        CONNECTIONS.add(new Named("accept-under-way-accepted", accepted));
        if (PEER != null) {
            CONNECTIONS.add(new Named("peer", PEER));
        }
        if (NIO_PEER != null) {
            readChannels();
        }
        for (Named connection : CONNECTIONS) {
            Socket socket = connection.socket;
            System.out.println(connection.name + " keepalive=" + socket.getKeepAlive() + " idle="
                    + Options.get(socket, Options.IDLE) + " local=" + socket.getLocalPort()
                    + " remote=" + socket.getPort());
        }
        System.out.println("CHECKED");
        // What the agent counts as rescued: connections open before an attach, never those of this window.
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName agent = new javax.management.ObjectName("dev.keepaliveagent:type=KeepaliveAgent");
        System.out.println("RESCUED " + (server.isRegistered(agent) ? server.getAttribute(agent, "RescuedConnections") : "no agent"));
        in.readLine();
    }

    private static void readPeer() {
        try {
            System.out.println("READ " + PEER.getInputStream().read());
        } catch (IOException e) {
            System.out.println("FAILED " + e);
        }
    }

    private static void openPair(String name, int port) {
        try {
            ServerSocket server = new ServerSocket(port, 1, LOOPBACK);
            LISTENING.add(server);
            CONNECTIONS.add(new Named(name + "-client", new Socket(LOOPBACK, server.getLocalPort())));
            CONNECTIONS.add(new Named(name + "-accepted", server.accept()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads on the channels opened before the hooks were live, in code woven by now. */
    private static void readChannels() throws IOException {
        System.out.println("nio-peer local=" + ((java.net.InetSocketAddress) NIO_PEER.getLocalAddress()).getPort());
        System.out.println("async-peer local=" + ((java.net.InetSocketAddress) ASYNC_PEER.getLocalAddress()).getPort());
        Thread nio = new Thread(() -> {
            try {
                System.out.println("NIO READ " + NIO_PEER.read(java.nio.ByteBuffer.allocate(1)));
            } catch (IOException e) {
                System.out.println("NIO FAILED " + e);
            }
        }, "nio-peer-reader");
        nio.setDaemon(true);
        nio.start();
        ASYNC_PEER.read(java.nio.ByteBuffer.allocate(1), null, new java.nio.channels.CompletionHandler<Integer, Object>() {
            @Override
            public void completed(Integer read, Object attachment) {
                System.out.println("ASYNC READ " + read);
            }

            @Override
            public void failed(Throwable e, Object attachment) {
                System.out.println("ASYNC FAILED " + e);
            }
        });
    }

    private static java.net.InetSocketAddress peerAddress() throws IOException {
        String peer = System.getProperty("window.peer");
        int colon = peer.lastIndexOf(':');
        return new java.net.InetSocketAddress(InetAddress.getByName(peer.substring(0, colon)), Integer.parseInt(peer.substring(colon + 1)));
    }

    private static java.nio.channels.SocketChannel nioPeer() {
        try {
            return java.nio.channels.SocketChannel.open(peerAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.nio.channels.AsynchronousSocketChannel asyncPeer() {
        try {
            java.nio.channels.AsynchronousSocketChannel channel = java.nio.channels.AsynchronousSocketChannel.open();
            channel.connect(peerAddress()).get();
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Socket connectToPeer() {
        String peer = System.getProperty("window.peer");
        if (peer == null) {
            return null;
        }
        try {
            int colon = peer.lastIndexOf(':');
            return new Socket(InetAddress.getByName(peer.substring(0, colon)), Integer.parseInt(peer.substring(colon + 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
