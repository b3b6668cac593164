package dev.keepaliveagent.it;

/**
 * {@code VirtualMachine.attach(PID).loadAgent(JAR, OPTIONS)} run on JDK 8 with its {@code tools.jar} on
 * the class path: JDK 8 has no {@code jcmd JVMTI.agent_load}, and a later JDK's attach client misreads
 * JDK 8's answer to a load. Prints LOADED once {@code agentmain} has returned.
 */
public final class AgentLoad {

    private AgentLoad() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> virtualMachine = Class.forName("com.sun.tools.attach.VirtualMachine");
        Object vm = virtualMachine.getMethod("attach", String.class).invoke(null, args[0]);
        try {
            virtualMachine.getMethod("loadAgent", String.class, String.class).invoke(vm, args[1], args.length > 2 ? args[2] : null);
        } finally {
            virtualMachine.getMethod("detach").invoke(vm);
        }
        System.out.println("LOADED");
    }
}
