package dev.keepaliveagent.instrument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * One woven method: its code as it was, with each {@link Hook} a guarded static call.
 *
 * <pre>
 * ENTER hooks                       (then the method's own code, where each return becomes:)
 * [value =] Switchboard.x(...)        store the returned value; goto exit
 * ...                             exit:   RETURN hooks; return the stored value
 *                                 thrown: THROW hooks; throw it on (the method's own handlers come first)
 * </pre>
 *
 * Each call is its own try block whose handler drops what the call threw. The code the weaver adds
 * runs where the locals are known without analysis (the method's entry; an exit block reached only
 * from returns, where just the arguments and the stored value are live; a handler over the whole
 * code), so its stack map frames are written out, never computed.
 */
final class HookedMethod extends MethodVisitor {

    private static final String THROWABLE = "java/lang/Throwable";

    private final String hookOwner;
    private final String owner;
    private final boolean isStatic;
    private final Type[] arguments;
    private final Type returned;
    private final List<Hook> onEnter = new ArrayList<>();
    private final List<Hook> onReturn = new ArrayList<>();
    private final List<Hook> onThrow = new ArrayList<>();
    private final boolean hasFrames;
    /** Frame locals at entry: {@code this} (an initialized one: only RETURN hooks go into constructors) and the arguments. */
    private final Object[] entryLocals;
    private final int returnedSlot;
    private final int thrownSlot;
    private final int extraStack;
    private final List<Label[]> guards = new ArrayList<>();
    private final Label body = new Label();
    private final Label exit = new Label();
    /** The frame after the ENTER hooks, unless the method's own code has one at the same place. */
    private Object[] pendingFrame;

    HookedMethod(MethodVisitor method, String hookOwner, String owner, int access, String name, String descriptor,
                 List<Hook> hooks, int firstFreeSlot, boolean hasFrames) {
        super(Opcodes.ASM9, method);
        this.hookOwner = hookOwner;
        this.owner = owner;
        this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
        this.arguments = Type.getArgumentTypes(descriptor);
        this.returned = Type.getReturnType(descriptor);
        this.hasFrames = hasFrames;
        int stack = 1;
        for (Hook hook : hooks) {
            (hook.at == Hook.At.ENTER ? onEnter : hook.at == Hook.At.RETURN ? onReturn : onThrow).add(hook);
            stack = Math.max(stack, 2 * hook.values.length + 2);
        }
        if (name.equals("<init>") && (!onEnter.isEmpty() || !onThrow.isEmpty())) {
            throw new IllegalStateException("a constructor (" + owner + ") takes RETURN hooks only");
        }
        this.extraStack = stack;
        this.entryLocals = entryLocals();
        this.returnedSlot = firstFreeSlot;
        this.thrownSlot = firstFreeSlot + 2;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        for (int i = 0; i < onEnter.size(); i++) {
            call(onEnter.get(i), entryLocals, i < onEnter.size() - 1);
        }
        pendingFrame = onEnter.isEmpty() ? null : entryLocals;
        super.visitLabel(body);
    }

    @Override
    public void visitFrame(int type, int localCount, Object[] locals, int stackCount, Object[] stack) {
        pendingFrame = null; // the method's own frame at the place the ENTER hooks' frame would be: it stands for both
        super.visitFrame(type, localCount, locals, stackCount, stack);
    }

    @Override
    public void visitInsn(int opcode) {
        writePendingFrame();
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN && !onReturn.isEmpty()) {
            if (returned.getSort() != Type.VOID) {
                super.visitVarInsn(returned.getOpcode(Opcodes.ISTORE), returnedSlot);
            }
            super.visitJumpInsn(Opcodes.GOTO, exit);
            return;
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        writePendingFrame();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        writePendingFrame();
        super.visitVarInsn(opcode, varIndex);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        writePendingFrame();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
        writePendingFrame();
        super.visitFieldInsn(opcode, fieldOwner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String methodOwner, String name, String descriptor, boolean isInterface) {
        writePendingFrame();
        super.visitMethodInsn(opcode, methodOwner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
        writePendingFrame();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        writePendingFrame();
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        writePendingFrame();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        writePendingFrame();
        super.visitIincInsn(varIndex, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        writePendingFrame();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        writePendingFrame();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        writePendingFrame();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        Label bodyEnd = new Label();
        super.visitLabel(bodyEnd);
        if (!onReturn.isEmpty()) {
            Object[] locals = returned.getSort() == Type.VOID ? entryLocals : localsWith(returned, returnedSlot);
            super.visitLabel(exit);
            frame(locals);
            for (Hook hook : onReturn) {
                call(hook, locals, true);
            }
            if (returned.getSort() != Type.VOID) {
                super.visitVarInsn(returned.getOpcode(Opcodes.ILOAD), returnedSlot);
            }
            super.visitInsn(returned.getOpcode(Opcodes.IRETURN));
        }
        if (!onThrow.isEmpty()) {
            Label thrown = new Label();
            super.visitLabel(thrown);
            frame(entryLocals, THROWABLE);
            super.visitVarInsn(Opcodes.ASTORE, thrownSlot);
            Object[] locals = localsWith(Type.getObjectType(THROWABLE), thrownSlot);
            for (Hook hook : onThrow) {
                call(hook, locals, true);
            }
            super.visitVarInsn(Opcodes.ALOAD, thrownSlot);
            super.visitInsn(Opcodes.ATHROW);
            // Visited after the method's own handlers, so that they come first.
            super.visitTryCatchBlock(body, bodyEnd, thrown, THROWABLE);
        }
        for (Label[] guard : guards) {
            super.visitTryCatchBlock(guard[0], guard[1], guard[2], THROWABLE);
        }
        super.visitMaxs(maxStack + extraStack, Math.max(maxLocals, thrownSlot + 1));
    }

    /**
     * {@code hook}'s call, in a try block of its own whose handler drops what it throws. {@code frameAfter}:
     * false after the last ENTER hook, whose frame waits for the method's first instruction.
     */
    private void call(Hook hook, Object[] locals, boolean frameAfter) {
        Label start = new Label();
        Label end = new Label();
        Label dropped = new Label();
        Label after = new Label();
        super.visitLabel(start);
        for (Hook.Value value : hook.values) {
            push(value);
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, hook.method, hook.descriptor, false);
        Type result = Type.getReturnType(hook.descriptor);
        if (hook.resultReplaces >= 0) {
            super.visitVarInsn(result.getOpcode(Opcodes.ISTORE), slotOf(hook.resultReplaces));
        } else if (result.getSort() != Type.VOID) {
            super.visitInsn(result.getSize() == 2 ? Opcodes.POP2 : Opcodes.POP);
        }
        super.visitLabel(end);
        super.visitJumpInsn(Opcodes.GOTO, after);
        super.visitLabel(dropped);
        frame(locals, THROWABLE);
        super.visitInsn(Opcodes.POP);
        super.visitLabel(after);
        if (frameAfter) {
            frame(locals);
        }
        guards.add(new Label[] {start, end, dropped});
    }

    private void push(Hook.Value value) {
        switch (value.kind) {
            case THIS:
                super.visitVarInsn(Opcodes.ALOAD, 0);
                break;
            case ARGUMENT:
                super.visitVarInsn(arguments[value.argument].getOpcode(Opcodes.ILOAD), slotOf(value.argument));
                break;
            case FIELD:
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, owner, value.fieldName, value.fieldDescriptor);
                break;
            case RETURNED:
                super.visitVarInsn(returned.getOpcode(Opcodes.ILOAD), returnedSlot);
                break;
            case THROWN:
                super.visitVarInsn(Opcodes.ALOAD, thrownSlot);
                break;
            case NULL:
                super.visitInsn(Opcodes.ACONST_NULL);
                break;
            case CONSTANT:
                super.visitLdcInsn(value.text);
                break;
            default:
                throw new IllegalStateException(value.kind.name());
        }
    }

    private int slotOf(int argument) {
        int slot = isStatic ? 0 : 1;
        for (int i = 0; i < argument; i++) {
            slot += arguments[i].getSize();
        }
        return slot;
    }

    private void writePendingFrame() {
        if (pendingFrame != null) {
            frame(pendingFrame);
            pendingFrame = null;
        }
    }

    private void frame(Object[] locals, Object... stack) {
        if (hasFrames) {
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, stack.length, stack);
        }
    }

    private Object[] entryLocals() {
        List<Object> locals = new ArrayList<>();
        if (!isStatic) {
            locals.add(owner);
        }
        for (Type argument : arguments) {
            locals.add(frameType(argument));
        }
        return locals.toArray();
    }

    /** The entry's locals, then nothing up to {@code slot}, which holds a {@code type}. */
    private Object[] localsWith(Type type, int slot) {
        List<Object> locals = new ArrayList<>(Arrays.asList(entryLocals));
        for (int used = slotOf(arguments.length); used < slot; used++) {
            locals.add(Opcodes.TOP);
        }
        locals.add(frameType(type));
        return locals.toArray();
    }

    private static Object frameType(Type type) {
        switch (type.getSort()) {
            case Type.BOOLEAN:
            case Type.CHAR:
            case Type.BYTE:
            case Type.SHORT:
            case Type.INT:
                return Opcodes.INTEGER;
            case Type.FLOAT:
                return Opcodes.FLOAT;
            case Type.LONG:
                return Opcodes.LONG;
            case Type.DOUBLE:
                return Opcodes.DOUBLE;
            case Type.ARRAY:
                return type.getDescriptor();
            default:
                return type.getInternalName();
        }
    }
}
