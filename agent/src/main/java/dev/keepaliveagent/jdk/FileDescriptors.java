package dev.keepaliveagent.jdk;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

/** A {@code FileDescriptor}'s number, and one of the agent's own for a number (java.io is opened to the agent). */
public final class FileDescriptors {

    private static volatile MethodHandle fdNumber;
    private static volatile MethodHandle fdSetter;

    private FileDescriptors() {
    }

    /**
     * A descriptor object of the agent's own for the app's descriptor {@code number}: never closed
     * by the agent, and with no cleaner that could close it.
     */
    public static FileDescriptor descriptorOf(int number) throws Throwable {
        MethodHandle setter = fdSetter;
        if (setter == null) {
            setter = PrivateMembers.setter(MethodHandles.lookup(), FileDescriptor.class, "fd", int.class);
            fdSetter = setter;
        }
        FileDescriptor descriptor = new FileDescriptor();
        setter.invokeExact(descriptor, number);
        return descriptor;
    }

    /** The descriptor number inside a {@code FileDescriptor}. */
    public static int numberOf(FileDescriptor fd) throws Throwable {
        MethodHandle getter = fdNumber;
        if (getter == null) {
            getter = PrivateMembers.getter(MethodHandles.lookup(), FileDescriptor.class, "fd", int.class);
            fdNumber = getter;
        }
        return (int) getter.invokeExact(fd);
    }
}
