package dev.keepaliveagent.instrument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves the {@link Hook}s of some targets into one class file with the ASM that Byte Buddy bundles:
 * its reader and writer, about 30 classes, where Byte Buddy's {@code Advice} brought some 730 and took
 * hundreds of milliseconds on a cold start. Every method the targets do not name is copied as it is;
 * nothing is added but code (no field, method or initializer), as retransforming a loaded class
 * requires, and the class's other stack map frames are kept, never recomputed (that would load classes
 * from inside a transformer). The only class that touches a class-file library besides {@link HookedMethod}:
 * created only when a woven class is not found in the cache.
 */
final class HookWeaver {

    private final String hookOwner;

    /** {@code hookOwner}: the internal name of the class whose static methods the hooks call. */
    HookWeaver(String hookOwner) {
        this.hookOwner = hookOwner;
    }

    byte[] weave(byte[] classFile, List<Target> targets) {
        ClassReader reader = new ClassReader(classFile);
        Map<String, MethodToWeave> toWeave = methodsToWeave(reader, targets);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String owner;
            private boolean hasFrames;

            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                owner = name;
                hasFrames = (version & 0xFFFF) >= Opcodes.V1_6;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                MethodToWeave woven = toWeave.get(name + descriptor);
                if (method == null || woven == null) {
                    return method;
                }
                return new HookedMethod(method, hookOwner, owner, access, name, descriptor,
                        woven.hooks, woven.firstFreeSlot, hasFrames);
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /**
     * The methods to weave (those with code that some target names), by name and descriptor, each with its
     * hooks and its first local variable slot the method itself never uses, where the woven code keeps what
     * it needs.
     */
    private static Map<String, MethodToWeave> methodsToWeave(ClassReader reader, List<Target> targets) {
        Map<String, MethodToWeave> methods = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if ((access & Opcodes.ACC_BRIDGE) != 0) {
                    return null; // it calls the method it stands for, whose hooks would run twice
                }
                List<Hook> hooks = hooksOf(targets, name, descriptor);
                if (hooks.isEmpty()) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        methods.put(name + descriptor, new MethodToWeave(hooks, maxLocals));
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return methods;
    }

    private static final class MethodToWeave {
        final List<Hook> hooks;
        final int firstFreeSlot;

        MethodToWeave(List<Hook> hooks, int firstFreeSlot) {
            this.hooks = hooks;
            this.firstFreeSlot = firstFreeSlot;
        }
    }

    private static List<Hook> hooksOf(List<Target> targets, String name, String descriptor) {
        List<Hook> hooks = new ArrayList<>();
        Type[] arguments = Type.getArgumentTypes(descriptor);
        String[] argumentTypeNames = new String[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            argumentTypeNames[i] = arguments[i].getClassName();
        }
        for (Target target : targets) {
            if (target.matches(name, argumentTypeNames)) {
                for (Hook hook : target.hooks) {
                    checkTypes(target, hook, arguments, Type.getReturnType(descriptor));
                    hooks.add(hook);
                }
            }
        }
        return hooks;
    }

    /**
     * What the JVM's verifier would refuse, refused before: an argument or a returned value passed where
     * the hook takes another type. An argument among the target's leading ones was matched by its type,
     * which a test checks against the hook's; any other must be of the hook's type or go to an Object.
     */
    private static void checkTypes(Target target, Hook hook, Type[] arguments, Type returned) {
        Type[] parameters = Type.getArgumentTypes(hook.descriptor);
        for (int i = 0; i < hook.values.length; i++) {
            Hook.Value value = hook.values[i];
            if (value.kind == Hook.Value.Kind.ARGUMENT) {
                if (value.argument >= arguments.length) {
                    throw new IllegalStateException(target + " has no argument " + value.argument);
                }
                if (value.argument >= target.leadingArgumentTypes.length && !passable(arguments[value.argument], parameters[i])) {
                    throw new IllegalStateException(target + "'s argument " + value.argument + " is a "
                            + arguments[value.argument].getClassName() + ", not what " + hook.method + " takes");
                }
            } else if (value.kind == Hook.Value.Kind.RETURNED && !passable(returned, parameters[i])) {
                throw new IllegalStateException(target + " returns a " + returned.getClassName() + ", not what " + hook.method + " takes");
            }
        }
    }

    private static boolean passable(Type value, Type parameter) {
        return value.equals(parameter) || parameter.getDescriptor().equals("Ljava/lang/Object;")
                && (value.getSort() == Type.OBJECT || value.getSort() == Type.ARRAY);
    }
}
