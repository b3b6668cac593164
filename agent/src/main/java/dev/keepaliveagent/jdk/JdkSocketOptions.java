package dev.keepaliveagent.jdk;

import dev.keepaliveagent.config.KeepaliveOption;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.List;

/**
 * The JDK's own {@code SocketOption} for each {@link KeepaliveOption} that has one (its {@code jdk.net} or
 * {@code java.net} field), so that an app's call with it is recognised; and SO_KEEPALIVE, the switch. On a
 * JDK without a field (8 before 8u272 has no {@code TCP_KEEP*}) no app can name the option, and a stand-in
 * only labels what the agent sets through the generic setsockopt ({@link SocketOptionWriter}).
 */
public final class JdkSocketOptions {

    public static final SocketOption<Boolean> KEEPALIVE = StandardSocketOptions.SO_KEEPALIVE;
    private static final SocketOption<?>[] BY_OPTION = fields();

    private JdkSocketOptions() {
    }

    /** The JDK's option for {@code option}, a stand-in where this JDK lacks it; null where no JDK has one. */
    public static SocketOption<?> of(KeepaliveOption option) {
        return BY_OPTION[option.index()];
    }

    /** The option the JDK's {@code option} is, or null: SO_KEEPALIVE, or one the agent does not set. */
    public static KeepaliveOption declarationOf(SocketOption<?> option) {
        for (KeepaliveOption declared : KeepaliveOption.all()) {
            if (BY_OPTION[declared.index()] == option) {
                return declared;
            }
        }
        return null;
    }

    /** Whether it is SO_KEEPALIVE or an option the agent sets. */
    public static boolean isAgentsOption(SocketOption<?> option) {
        return option == KEEPALIVE || declarationOf(option) != null;
    }

    /** Whether {@code option} is one of {@code java.net.StandardSocketOptions}, which every JDK sets through its generic path. */
    static boolean isStandard(KeepaliveOption option) {
        return option.jdkField() != null && option.jdkField().startsWith(StandardSocketOptions.class.getName() + ".");
    }

    private static SocketOption<?>[] fields() {
        List<KeepaliveOption> all = KeepaliveOption.all();
        SocketOption<?>[] options = new SocketOption<?>[all.size()];
        for (KeepaliveOption option : all) {
            String field = option.jdkField();
            options[option.index()] = field == null ? null : field(field.substring(0, field.lastIndexOf('.')),
                    field.substring(field.lastIndexOf('.') + 1));
        }
        return options;
    }

    private static SocketOption<?> field(String type, String name) {
        try {
            return (SocketOption<?>) Class.forName(type).getField(name).get(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException notOnThisJdk) {
            return new StandIn(name);
        }
    }

    private static final class StandIn implements SocketOption<Integer> {
        private final String name;

        StandIn(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Class<Integer> type() {
            return Integer.class;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
