package dev.keepaliveagent.it;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.Arrays;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Another agent that changes the very JDK class ours weaves, as APM agents do: with plain ASM, it
 * makes {@code sun.nio.ch.Net.connect} set the system property {@code connect.marker} on entry; or,
 * given {@code same-shape}, it changes only the text of one of Net's messages, in place, so that no
 * method's length, stack or handlers change. Its transformer can retransform, and it is given before
 * ours. As a main class, it connects a channel once and prints {@code MARKER <the property> KEEPALIVE
 * <the socket's keepalive> IDLE <its TCP_KEEPIDLE> MESSAGE <what Net says of a negative buffer size>}.
 */
public final class ConnectMarkerAgent implements ClassFileTransformer {

    static final String PROPERTY = "connect.marker";
    static final String MESSAGE = "Invalid send/receive buffer size";
    static final String CHANGED_MESSAGE = "Changed send/receive buffer size";

    private final boolean sameShape;

    private ConnectMarkerAgent(boolean sameShape) {
        this.sameShape = sameShape;
    }

    public static void premain(String arguments, Instrumentation instrumentation) throws Exception {
        instrumentation.addTransformer(new ConnectMarkerAgent("same-shape".equals(arguments)), true);
        Class<?> net = Class.forName("sun.nio.ch.Net", false, null);
        instrumentation.retransformClasses(net); // loaded before premain on most JDKs: changed now
    }

    public static void main(String[] args) throws Exception {
        // A channel: its connect passes Net.connect on every JDK (a Socket's does from JDK 13 only)
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                     server.getLocalPort()))) {
            String message;
            try {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, -1); // refused by Net.setSocketOption on every JDK
                message = "none";
            } catch (IllegalArgumentException refused) {
                message = refused.getMessage();
            }
            System.out.println("MARKER " + System.getProperty(PROPERTY) + " KEEPALIVE "
                    + channel.getOption(StandardSocketOptions.SO_KEEPALIVE) + " IDLE " + Options.get(channel, Options.IDLE)
                    + " MESSAGE " + message);
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] classFile) {
        if (loader != null || !"sun/nio/ch/Net".equals(name)) {
            return null;
        }
        if (sameShape) {
            return withTextReplaced(classFile, MESSAGE, CHANGED_MESSAGE);
        }
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String method, String descriptor, String signature, String[] exceptions) {
                MethodVisitor visitor = super.visitMethod(access, method, descriptor, signature, exceptions);
                if (!method.equals("connect")
                        || !descriptor.startsWith("(Ljava/net/ProtocolFamily;Ljava/io/FileDescriptor;Ljava/net/InetAddress;I)")) {
                    return visitor;
                }
                return new MethodVisitor(Opcodes.ASM9, visitor) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        super.visitLdcInsn(PROPERTY);
                        super.visitLdcInsn("set by another agent");
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "setProperty",
                                "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;", false);
                        super.visitInsn(Opcodes.POP);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }

    /** The class file with one UTF-8 constant's text replaced by another as long, byte for byte in place. */
    private static byte[] withTextReplaced(byte[] classFile, String text, String replacement) {
        byte[] from = text.getBytes(StandardCharsets.UTF_8);
        byte[] to = replacement.getBytes(StandardCharsets.UTF_8);
        byte[] changed = classFile.clone();
        for (int i = 3; i + from.length <= changed.length; i++) {
            if (changed[i - 3] == 1 && ((changed[i - 2] & 0xff) << 8 | changed[i - 1] & 0xff) == from.length
                    && Arrays.equals(Arrays.copyOfRange(changed, i, i + from.length), from)) {
                System.arraycopy(to, 0, changed, i, to.length);
                return changed;
            }
        }
        throw new IllegalStateException("no constant \"" + text + "\" in the class handed over");
    }
}
