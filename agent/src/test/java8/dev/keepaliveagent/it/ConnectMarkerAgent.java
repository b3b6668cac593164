package dev.keepaliveagent.it;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Another agent that changes the very JDK method ours weaves, as APM agents do: with plain ASM, it
 * makes {@code sun.nio.ch.Net.connect} set the system property {@code connect.marker} on entry. Its
 * transformer can retransform, and it is given before ours. As a main class, it connects a channel once and
 * prints {@code MARKER <the property> KEEPALIVE <the socket's keepalive> IDLE <its TCP_KEEPIDLE>}.
 */
public final class ConnectMarkerAgent implements ClassFileTransformer {

    static final String PROPERTY = "connect.marker";

    public static void premain(String arguments, Instrumentation instrumentation) throws Exception {
        instrumentation.addTransformer(new ConnectMarkerAgent(), true);
        Class<?> net = Class.forName("sun.nio.ch.Net", false, null);
        instrumentation.retransformClasses(net); // loaded before premain on most JDKs: changed now
    }

    public static void main(String[] args) throws Exception {
        // A channel: its connect passes Net.connect on every JDK (a Socket's does from JDK 13 only)
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                     server.getLocalPort()))) {
            System.out.println("MARKER " + System.getProperty(PROPERTY) + " KEEPALIVE "
                    + channel.getOption(StandardSocketOptions.SO_KEEPALIVE) + " IDLE " + Options.get(channel, Options.IDLE));
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] classFile) {
        if (loader != null || !"sun/nio/ch/Net".equals(name)) {
            return null;
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
}
