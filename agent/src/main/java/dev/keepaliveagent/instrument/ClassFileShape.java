package dev.keepaliveagent.instrument;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What of a class file survives the JVM's reconstitution of it: its fields, and its methods with
 * their code's length, stack, locals and handlers, in a sorted list. A class retransformed is handed
 * over reconstituted, in bytes that depend on how far the class was linked and used (its constant pool
 * among them), so the runtime image's bytes and the JVM's differ at every start; their shapes are
 * equal unless an agent before this one changed the class, which nearly always changes a method's
 * length. Read without a class-file library, which the warm path does not load.
 */
final class ClassFileShape {

    private ClassFileShape() {
    }

    static String of(byte[] classFile) {
        ByteBuffer in = ByteBuffer.wrap(classFile);
        in.position(8); // magic, minor and major version
        int entries = in.getShort() & 0xffff;
        String[] utf8 = new String[entries];
        for (int i = 1; i < entries; i++) {
            int tag = in.get();
            switch (tag) {
                case 1:
                    byte[] text = new byte[in.getShort() & 0xffff];
                    in.get(text);
                    utf8[i] = new String(text, StandardCharsets.UTF_8); // modified UTF-8; equal bytes, equal names
                    break;
                case 5:
                case 6:
                    in.position(in.position() + 8);
                    i++; // a long or a double takes two entries
                    break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                    in.position(in.position() + 4);
                    break;
                case 15:
                    in.position(in.position() + 3);
                    break;
                case 7: case 8: case 16: case 19: case 20:
                    in.position(in.position() + 2);
                    break;
                default:
                    throw new IllegalArgumentException("constant pool tag " + tag + " at entry " + i);
            }
        }
        in.position(in.position() + 6); // access, this, super
        int interfaces = in.getShort() & 0xffff;
        in.position(in.position() + 2 * interfaces);
        List<String> members = new ArrayList<>();
        for (String kind : new String[] {"F", "M"}) {
            int count = in.getShort() & 0xffff;
            for (int m = 0; m < count; m++) {
                StringBuilder member = new StringBuilder(kind).append(' ').append(in.getShort() & 0xffff);
                member.append(' ').append(utf8[in.getShort() & 0xffff]).append(utf8[in.getShort() & 0xffff]);
                int attributes = in.getShort() & 0xffff;
                for (int a = 0; a < attributes; a++) {
                    String name = utf8[in.getShort() & 0xffff];
                    int length = in.getInt();
                    int end = in.position() + length;
                    if ("Code".equals(name)) {
                        int stack = in.getShort() & 0xffff;
                        int locals = in.getShort() & 0xffff;
                        int codeLength = in.getInt();
                        in.position(in.position() + codeLength);
                        int handlers = in.getShort() & 0xffff;
                        member.append(" code ").append(stack).append('/').append(locals).append('/').append(codeLength)
                                .append('/').append(handlers);
                    }
                    in.position(end);
                }
                members.add(member.toString());
            }
        }
        Collections.sort(members);
        return String.join("\n", members);
    }
}
