package dev.keepaliveagent.instrument;

/**
 * One call a woven method makes into {@code Switchboard}: where it is made, which static method it
 * calls and what it passes. Plain data, checked against {@code Switchboard} by a test (the weaver
 * trusts the descriptor), read without loading any class-file library.
 */
final class Hook {

    /** Where in the woven method the call is made. */
    enum At {
        /** Before the method's own code. */
        ENTER,
        /** When the method returns normally. */
        RETURN,
        /** When the method ends by throwing; what it threw is thrown on, unchanged. */
        THROW
    }

    final At at;
    final String method;
    /** The descriptor of the called method, as the class file names it: {@code (Ljava/io/FileDescriptor;I)V}. */
    final String descriptor;
    final Value[] values;
    /** The argument the call's result replaces (only at {@link At#ENTER}), else -1. */
    final int resultReplaces;

    private Hook(At at, String method, String descriptor, int resultReplaces, Value... values) {
        this.at = at;
        this.method = method;
        this.descriptor = descriptor;
        this.values = values;
        this.resultReplaces = resultReplaces;
    }

    static Hook onEnter(String method, String descriptor, Value... values) {
        return new Hook(At.ENTER, method, descriptor, -1, values);
    }

    /** On entry, passing the values and giving argument {@code argument} the call's result. */
    static Hook onEnterReplacing(int argument, String method, String descriptor, Value... values) {
        return new Hook(At.ENTER, method, descriptor, argument, values);
    }

    static Hook onReturn(String method, String descriptor, Value... values) {
        return new Hook(At.RETURN, method, descriptor, -1, values);
    }

    static Hook onThrow(String method, String descriptor, Value... values) {
        return new Hook(At.THROW, method, descriptor, -1, values);
    }

    /** One value a hook passes. */
    static final class Value {

        enum Kind { THIS, ARGUMENT, FIELD, RETURNED, THROWN, NULL, CONSTANT }

        static final Value THIS = new Value(Kind.THIS, -1, null, null, null);
        /** What the method returns: only at {@link At#RETURN}. */
        static final Value RETURNED = new Value(Kind.RETURNED, -1, null, null, null);
        /** What the method throws: only at {@link At#THROW}. */
        static final Value THROWN = new Value(Kind.THROWN, -1, null, null, null);
        static final Value NULL = new Value(Kind.NULL, -1, null, null, null);

        final Kind kind;
        final int argument;
        final String fieldName;
        final String fieldDescriptor;
        /** What a {@link Kind#CONSTANT} passes. */
        final String text;

        private Value(Kind kind, int argument, String fieldName, String fieldDescriptor, String text) {
            this.kind = kind;
            this.argument = argument;
            this.fieldName = fieldName;
            this.fieldDescriptor = fieldDescriptor;
            this.text = text;
        }

        /** The method's argument {@code index} (0 the first), as it is at the time of the call. */
        static Value argument(int index) {
            return new Value(Kind.ARGUMENT, index, null, null, null);
        }

        /** A string, the same at every call: which of a few alike methods called. */
        static Value constant(String text) {
            return new Value(Kind.CONSTANT, -1, null, null, text);
        }

        /** A field of {@code this}, declared in the woven class or a superclass. */
        static Value field(String name, String descriptor) {
            return new Value(Kind.FIELD, -1, name, descriptor, null);
        }
    }
}
