package dev.keepaliveagent.instrument;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a class file says, apart from how it is laid out: its fields and methods (sorted), their code
 * with every constant-pool reference replaced by what it names, their exception tables and constant
 * values, and the class's bootstrap methods. A class retransformed is handed over as the JVM
 * reconstitutes it, in bytes that depend on how far the class was linked and used (its constant pool's
 * order and content, its methods' order, its attributes), so the runtime image's bytes and the JVM's
 * differ at every start; what they say is equal unless another agent changed the class, however
 * slightly (a constant, an instruction for another of the same length). Debug attributes, stack maps
 * and annotations are left out. Read without a class-file library, which the warm path does not load.
 */
final class ClassFileContent {

    private static final int UTF8 = 1;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;

    private final ByteBuffer in;
    private final int[] tags;
    private final Object[] values;

    private ClassFileContent(byte[] classFile) {
        in = ByteBuffer.wrap(classFile);
        in.position(8); // magic, minor and major version
        int count = u2();
        tags = new int[count];
        values = new Object[count];
        for (int i = 1; i < count; i++) {
            int tag = in.get() & 0xff;
            tags[i] = tag;
            switch (tag) {
                case UTF8:
                    byte[] text = new byte[u2()];
                    in.get(text);
                    values[i] = new String(text, StandardCharsets.UTF_8); // modified UTF-8; equal bytes, equal names
                    break;
                case 3:
                case 4:
                    values[i] = tag + ":" + in.getInt();
                    break;
                case LONG:
                case DOUBLE:
                    values[i] = tag + ":" + in.getLong();
                    i++; // a long or a double takes two entries
                    break;
                case 7: case 8: case 16: case 19: case 20:
                    values[i] = new int[] {u2()};
                    break;
                case 9: case 10: case 11: case 12: case 17: case 18:
                    values[i] = new int[] {u2(), u2()};
                    break;
                case 15:
                    values[i] = new int[] {in.get() & 0xff, u2()};
                    break;
                default:
                    throw new IllegalArgumentException("constant pool tag " + tag + " at entry " + i);
            }
        }
    }

    static String of(byte[] classFile) {
        return new ClassFileContent(classFile).read();
    }

    private String read() {
        StringBuilder header = new StringBuilder("class ").append(u2()).append(' ').append(constant(u2()))
                .append(" extends ").append(constant(u2()));
        int interfaces = u2();
        for (int i = 0; i < interfaces; i++) {
            header.append(i == 0 ? " implements " : ", ").append(constant(u2()));
        }
        List<String> members = new ArrayList<>();
        for (String kind : new String[] {"F", "M"}) {
            int count = u2();
            for (int m = 0; m < count; m++) {
                StringBuilder member = new StringBuilder(kind).append(' ').append(u2()).append(' ')
                        .append(utf8(u2())).append(utf8(u2()));
                attributes(member);
                members.add(member.toString());
            }
        }
        Collections.sort(members); // the JVM orders the methods it hands over its own way
        StringBuilder content = new StringBuilder(header).append('\n');
        attributes(content); // the bootstrap methods
        for (String member : members) {
            content.append('\n').append(member);
        }
        return content.toString();
    }

    private void attributes(StringBuilder out) {
        int count = u2();
        for (int a = 0; a < count; a++) {
            String name = utf8(u2());
            int length = in.getInt();
            int end = in.position() + length;
            if ("Code".equals(name)) {
                code(out);
            } else if ("ConstantValue".equals(name)) {
                out.append(" = ").append(constant(u2()));
            } else if ("BootstrapMethods".equals(name)) {
                int methods = u2();
                for (int b = 0; b < methods; b++) {
                    out.append(" bootstrap ").append(b).append(' ').append(constant(u2()));
                    int arguments = u2();
                    for (int i = 0; i < arguments; i++) {
                        out.append(' ').append(constant(u2()));
                    }
                }
            }
            in.position(end);
        }
    }

    private void code(StringBuilder out) {
        out.append(" code ").append(u2()).append('/').append(u2()).append(':');
        int length = in.getInt();
        int start = in.position();
        int pc = 0;
        while (pc < length) {
            int op = in.get(start + pc) & 0xff;
            out.append(' ').append(op);
            pc = operands(out, start, pc, op);
        }
        in.position(start + length);
        int handlers = u2();
        for (int h = 0; h < handlers; h++) {
            out.append(" try ").append(u2()).append('-').append(u2()).append('>').append(u2());
            int type = u2();
            out.append(' ').append(type == 0 ? "any" : constant(type));
        }
        int attributes = u2();
        for (int a = 0; a < attributes; a++) {
            u2();
            int skipped = in.getInt();
            in.position(in.position() + skipped); // line numbers, local names, stack maps: not what it does
        }
    }

    /** Appends the operands of the instruction {@code op} at {@code pc}; returns the next instruction's pc. */
    private int operands(StringBuilder out, int start, int pc, int op) {
        int at = start + pc + 1;
        switch (op) {
            case 16: case 21: case 22: case 23: case 24: case 25: case 54: case 55: case 56: case 57: case 58: case 169: case 188:
                out.append('.').append(in.get(at));
                return pc + 2;
            case 17:
                out.append('.').append(in.getShort(at));
                return pc + 3;
            case 18:
                out.append('.').append(constant(in.get(at) & 0xff));
                return pc + 2;
            case 19: case 20: case 178: case 179: case 180: case 181: case 182: case 183: case 184: case 187: case 189:
            case 192: case 193:
                out.append('.').append(constant(in.getShort(at) & 0xffff));
                return pc + 3;
            case 132:
                out.append('.').append(in.get(at)).append('.').append(in.get(at + 1));
                return pc + 3;
            case 153: case 154: case 155: case 156: case 157: case 158: case 159: case 160: case 161: case 162: case 163:
            case 164: case 165: case 166: case 167: case 168: case 198: case 199:
                out.append('.').append(in.getShort(at));
                return pc + 3;
            case 185:
                out.append('.').append(constant(in.getShort(at) & 0xffff)).append('.').append(in.get(at + 2));
                return pc + 5;
            case 186:
                out.append('.').append(constant(in.getShort(at) & 0xffff));
                return pc + 5;
            case 197:
                out.append('.').append(constant(in.getShort(at) & 0xffff)).append('.').append(in.get(at + 2));
                return pc + 4;
            case 200: case 201:
                out.append('.').append(in.getInt(at));
                return pc + 5;
            case 196: {
                int widened = in.get(at) & 0xff;
                out.append('.').append(widened).append('.').append(in.getShort(at + 1));
                if (widened == 132) {
                    out.append('.').append(in.getShort(at + 3));
                    return pc + 6;
                }
                return pc + 4;
            }
            case 170: {
                int table = start + pc + 1 + (3 - pc % 4); // aligned to four bytes from the code's start
                int low = in.getInt(table + 4);
                int high = in.getInt(table + 8);
                int entries = 3 + high - low + 1;
                for (int i = 0; i < entries; i++) {
                    out.append('.').append(in.getInt(table + 4 * i));
                }
                return table + 4 * entries - start;
            }
            case 171: {
                int table = start + pc + 1 + (3 - pc % 4);
                int entries = 2 + 2 * in.getInt(table + 4);
                for (int i = 0; i < entries; i++) {
                    out.append('.').append(in.getInt(table + 4 * i));
                }
                return table + 4 * entries - start;
            }
            default:
                return pc + 1;
        }
    }

    /** What constant-pool entry {@code index} names, whatever its index. */
    private String constant(int index) {
        if (index == 0) {
            return "-";
        }
        Object value = values[index];
        int tag = tags[index];
        if (tag == UTF8) {
            return "'" + value + "'";
        }
        if (value instanceof String) {
            return (String) value;
        }
        int[] refs = (int[]) value;
        switch (tag) {
            case 7: case 8: case 16: case 19: case 20:
                return tag + "(" + utf8(refs[0]) + ")";
            case 12:
                return utf8(refs[0]) + ":" + utf8(refs[1]);
            case 15:
                return "15(" + refs[0] + " " + constant(refs[1]) + ")";
            case 17: case 18:
                return tag + "(#" + refs[0] + " " + constant(refs[1]) + ")";
            default: // 9, 10, 11: a field or method of a class
                return tag + "(" + constant(refs[0]) + "." + constant(refs[1]) + ")";
        }
    }

    private String utf8(int index) {
        return (String) values[index];
    }

    private int u2() {
        return in.getShort() & 0xffff;
    }
}
