package dev.keepaliveagent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * A JDK class's shape is what tells "reconstituted by the JVM" from "changed by another agent": it
 * changes once a method grows. That the JVM's own reconstitutions keep it is shown where the JVM makes
 * them: the cache's tests (a class loaded before the agent, or after it, hits the same entry).
 */
class ClassFileShapeTest {

    @Test
    void theShapeNamesEveryMethodWithItsCodesSize() throws IOException {
        String shape = ClassFileShape.of(image("sun/nio/ch/Net.class"));
        assertTrue(shape.matches("(?s).*\\nM \\d+ connect\\(Ljava/net/ProtocolFamily;Ljava/io/FileDescriptor;"
                + "Ljava/net/InetAddress;I\\)I code \\d+/\\d+/\\d+/\\d+\\n.*"), shape);
        assertEquals(shape, ClassFileShape.of(image("sun/nio/ch/Net.class")));
    }

    @Test
    void aMethodAnotherAgentChangedChangesTheShape() throws IOException {
        byte[] image = image("sun/nio/ch/Net.class");
        ClassReader reader = new ClassReader(image);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                return !name.equals("connect") ? visitor : new MethodVisitor(Opcodes.ASM9, visitor) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        super.visitInsn(Opcodes.NOP);
                    }
                };
            }
        }, 0);
        assertNotEquals(ClassFileShape.of(image), ClassFileShape.of(writer.toByteArray()));
    }

    private static byte[] image(String resource) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(resource)) {
            return JdkAccess.readAll(in);
        }
    }
}
