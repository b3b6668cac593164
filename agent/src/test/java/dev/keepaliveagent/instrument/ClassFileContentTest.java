package dev.keepaliveagent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.jdk.JdkAccess;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * What a JDK class says tells "reconstituted by the JVM" (another layout of the same class) from "changed
 * by another agent", however slightly. That the JVM's own reconstitutions say the same is shown where the
 * JVM makes them: the cache's tests (a class loaded before the agent, or after it, hits the same entry).
 */
class ClassFileContentTest {

    private static final String[] CLASSES = {"sun/nio/ch/Net.class", "sun/nio/ch/SocketDispatcher.class",
        "java/net/Socket.class", "java/util/HashMap.class", "java/lang/invoke/MethodHandles.class"};

    @Test
    void theSameClassLaidOutAnewSaysTheSame() throws IOException {
        for (String name : CLASSES) {
            byte[] image = image(name);
            byte[] rewritten = anotherLayout(image);
            assertFalse(Arrays.equals(image, rewritten), name + ": another constant pool");
            assertEquals(ClassFileContent.of(image), ClassFileContent.of(rewritten), name);
        }
    }

    @Test
    void theCodeReadsWithWhatItsConstantsName() throws IOException {
        String content = ClassFileContent.of(image("sun/nio/ch/Net.class"));
        assertTrue(content.matches("(?s).*\nM \\d+ connect\\(Ljava/net/ProtocolFamily;Ljava/io/FileDescriptor;"
                + "Ljava/net/InetAddress;I\\)I code \\d+/\\d+: .*"), content);
        assertTrue(content.contains(" 184.10(7(sun/nio/ch/Net).connect0:(ZLjava/io/FileDescriptor;Ljava/net/InetAddress;I)I) "),
                content);
    }

    @Test
    void aMethodAnotherAgentGrewChangesIt() throws IOException {
        byte[] image = image("sun/nio/ch/Net.class");
        assertNotEquals(ClassFileContent.of(image), ClassFileContent.of(edited(image, visitor -> new MethodVisitor(Opcodes.ASM9, visitor) {
            @Override
            public void visitCode() {
                super.visitCode();
                super.visitInsn(Opcodes.NOP);
            }
        })));
    }

    /** The edit the shape of a class could not see: one constant for another, the code as long as it was. */
    @Test
    void aConstantAnotherAgentChangedChangesIt() throws IOException {
        byte[] image = image("sun/nio/ch/Net.class");
        byte[] edited = edited(image, visitor -> new MethodVisitor(Opcodes.ASM9, visitor) {
            @Override
            public void visitInsn(int opcode) {
                super.visitInsn(opcode == Opcodes.ICONST_0 ? Opcodes.ICONST_1 : opcode);
            }
        });
        assertNotEquals(ClassFileContent.of(image), ClassFileContent.of(edited));
        assertEquals(ClassFileContent.of(image).length(), ClassFileContent.of(edited).length(), "nothing grew");
    }

    /**
     * The class written anew without its debug attributes. (The JVM's own reconstitutions, with their
     * constant pool and methods in its order, say what the image says on JDK 8 to 28: the cache's tests.)
     */
    private static byte[] anotherLayout(byte[] image) {
        ClassReader reader = new ClassReader(image);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(writer, ClassReader.SKIP_DEBUG);
        return writer.toByteArray();
    }

    private interface MethodEdit {
        MethodVisitor wrap(MethodVisitor visitor);
    }

    private static byte[] edited(byte[] image, MethodEdit edit) {
        ClassReader reader = new ClassReader(image);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                return name.equals("connect") ? edit.wrap(visitor) : visitor;
            }
        }, 0);
        return writer.toByteArray();
    }

    private static byte[] image(String resource) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(resource)) {
            return JdkAccess.readAll(in);
        }
    }
}
