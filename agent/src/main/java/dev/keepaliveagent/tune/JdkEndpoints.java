package dev.keepaliveagent.tune;

import dev.keepaliveagent.jdk.OptionAvailability;
import dev.keepaliveagent.jdk.OptionSetter;
import dev.keepaliveagent.lifecycle.Endpoint;
import java.io.FileDescriptor;

/** Makes the {@link Endpoint} of a JDK socket's descriptor: through the platform's seam, with the options it can set. */
public final class JdkEndpoints {

    private final OptionSetter kernel;
    private final OptionAvailability availability;

    /** {@code availability} as checked at start-up ({@link OptionAvailability#checkAvailability}). */
    public JdkEndpoints(OptionSetter kernel, OptionAvailability availability) {
        this.kernel = kernel;
        this.availability = availability;
    }

    public Endpoint of(FileDescriptor fd) {
        return new JdkEndpoint(fd, kernel, availability);
    }
}
