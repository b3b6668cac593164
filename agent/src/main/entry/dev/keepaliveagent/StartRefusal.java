package dev.keepaliveagent;

import dev.keepaliveagent.JavaFeature;
import dev.keepaliveagent.config.LogFormat;
import dev.keepaliveagent.config.LogLevel;
import dev.keepaliveagent.logline.LogLine;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Stops the JVM whose agent arguments are bad, before any of the app's code runs: exit code 1, the
 * refusal's line already printed, no stack trace.
 *
 * <p>Up to JDK 25 {@code Runtime.halt} inside {@code premain} ends the process at once. From JDK 26 the
 * JVM's exit first waits, up to a minute, for every JVMTI callback under way to return, and {@code premain}
 * runs inside one (the instrument agent's VMInit), as does a transformer (ClassFileLoadHook): a halt from
 * either stops the JVM only after 60 s (measured on 26, 27 and 28-ea). So there the halt is made outside
 * every callback, by the app's main class itself: the first class the main thread loads through a class
 * loader once {@code premain} has returned is the one the launcher is about to run, and this transformer
 * hands the JVM, in place of its bytes, a class of the same name whose {@code main} halts. None of the
 * app's code, not even its static initialiser, runs. (A thread that halted meanwhile would do harm: once the
 * JVM's exit has begun, the callbacks stop, and the app's own main class would load and run until the exit
 * ends.)
 */
final class StartRefusal implements ClassFileTransformer {

    /** The first feature release whose exit waits for the JVMTI callbacks under way. */
    private static final int EXIT_WAITS_FOR_CALLBACKS = 26;

    private final Thread premainThread = Thread.currentThread();
    private volatile boolean replaced;

    private StartRefusal() {
    }

    /**
     * The refusal as the agent's other lines are written: {@code [keepalive-agent] ERROR: …}, or one JSON
     * object under {@code logformat=json}; always to standard error, where whoever starts the JVM looks.
     */
    static String line(String problem, LogFormat format, boolean atJvmStart) {
        String message = problem + (atJvmStart ? " (the app was not started)" : " (the agent was not loaded; the app runs on unchanged)");
        return LogLine.of(format, LogLevel.ERROR, message, java.util.Collections.singletonMap("event", "keepalive.BadArgument"));
    }

    static void stopTheJvm(Instrumentation instrumentation) {
        if (JavaFeature.running() < EXIT_WAITS_FOR_CALLBACKS || instrumentation == null) {
            Runtime.getRuntime().halt(1);
        }
        instrumentation.addTransformer(new StartRefusal());
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (replaced || loader == null || redefined != null || name == null || Thread.currentThread() != premainThread
                || inPremain()) {
            return null;
        }
        replaced = true;
        return haltingMainClass(name);
    }

    private static boolean inPremain() {
        for (StackTraceElement frame : new Throwable().getStackTrace()) {
            if (frame.getClassName().equals("sun.instrument.InstrumentationImpl")
                    && frame.getMethodName().startsWith("loadClassAndCallPremain")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The class file of {@code public class NAME { public static void main(String[] args) {
     * Runtime.getRuntime().halt(1); } }}, version 52 (Java 8: no stack map needed without branches).
     */
    static byte[] haltingMainClass(String internalName) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(52);
            out.writeShort(18); // constant pool: entries 1 to 17
            utf8(out, internalName);                  // 1
            classRef(out, 1);                         // 2 this
            utf8(out, "java/lang/Object");            // 3
            classRef(out, 3);                         // 4 super
            utf8(out, "main");                        // 5
            utf8(out, "([Ljava/lang/String;)V");      // 6
            utf8(out, "Code");                        // 7
            utf8(out, "java/lang/Runtime");           // 8
            classRef(out, 8);                         // 9
            utf8(out, "getRuntime");                  // 10
            utf8(out, "()Ljava/lang/Runtime;");       // 11
            nameAndType(out, 10, 11);                 // 12
            methodRef(out, 9, 12);                    // 13 Runtime.getRuntime()
            utf8(out, "halt");                        // 14
            utf8(out, "(I)V");                        // 15
            nameAndType(out, 14, 15);                 // 16
            methodRef(out, 9, 16);                    // 17 Runtime.halt(int)
            out.writeShort(0x0001 | 0x0020);          // public, super
            out.writeShort(2);
            out.writeShort(4);
            out.writeShort(0);                        // interfaces
            out.writeShort(0);                        // fields
            out.writeShort(1);                        // methods: main
            out.writeShort(0x0001 | 0x0008);          // public static
            out.writeShort(5);
            out.writeShort(6);
            out.writeShort(1);                        // attributes: Code
            byte[] code = {(byte) 0xB8, 0, 13, 0x04, (byte) 0xB6, 0, 17, (byte) 0xB1}; // getRuntime, iconst_1, halt, return
            out.writeShort(7);
            out.writeInt(2 + 2 + 4 + code.length + 2 + 2);
            out.writeShort(2);                        // max stack
            out.writeShort(1);                        // max locals
            out.writeInt(code.length);
            out.write(code);
            out.writeShort(0);                        // exception table
            out.writeShort(0);                        // code's attributes
            out.writeShort(0);                        // class's attributes
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return buffer.toByteArray();
    }

    private static void utf8(DataOutputStream out, String text) throws IOException {
        out.writeByte(1);
        out.writeUTF(text);
    }

    private static void classRef(DataOutputStream out, int name) throws IOException {
        out.writeByte(7);
        out.writeShort(name);
    }

    private static void nameAndType(DataOutputStream out, int name, int type) throws IOException {
        out.writeByte(12);
        out.writeShort(name);
        out.writeShort(type);
    }

    private static void methodRef(DataOutputStream out, int owner, int nameAndType) throws IOException {
        out.writeByte(10);
        out.writeShort(owner);
        out.writeShort(nameAndType);
    }
}
