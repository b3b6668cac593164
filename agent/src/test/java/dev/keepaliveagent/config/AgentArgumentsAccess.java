package dev.keepaliveagent.config;

/** For tests in other packages: rules from an argument string. */
public final class AgentArgumentsAccess {

    private AgentArgumentsAccess() {
    }

    public static Rules rules(String arguments) {
        try {
            return AgentArguments.parse(arguments).rules();
        } catch (InvalidArgumentException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
