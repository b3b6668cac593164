package dev.keepaliveagent.boot;

/**
 * What the hooks in Netty's native transports report, implemented by the agent. Netty's types are
 * not visible here (nor anywhere in the agent): channels and addresses arrive as plain objects.
 * Loaded by the bootstrap class loader with {@link Switchboard}; JDK types only.
 */
public interface ChannelEvents {

    /** A native-transport channel connected, or started to connect, to {@code remote}. */
    void connected(Object channel, Object remote);

    /** A native-transport channel was registered with its event loop: for an accepted one, after the app's child options. */
    void registered(Object channel);

    /** A read or write of a native-transport channel failed; not called on success. */
    void ioFailed(Object channel, Throwable failure);

    /**
     * A read of a native-transport channel failed where only its pipeline is at hand (io_uring
     * completes reads in its own handler); {@code failure} may also be an app handler's exception.
     */
    void readFailedIn(Object pipeline, Throwable failure);

    /**
     * The app sets one of a channel's keepalive values through its config ({@code option}: Netty's name
     * for it, e.g. TCP_KEEPIDLE); returns the value to set instead, or {@code value} itself.
     */
    int intOptionSet(Object config, String option, int value);

    /** The app switches SO_KEEPALIVE on or off through a channel's config; returns what to set instead, or {@code on}. */
    boolean keepaliveSet(Object config, boolean on);

    /** The channel is being closed: whatever is known of it can go. */
    void closing(Object channel);
}
