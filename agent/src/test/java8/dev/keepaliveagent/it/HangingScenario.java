package dev.keepaliveagent.it;

/** A child that never ends: it says so, then waits forever (TimeLimitsIT). */
public final class HangingScenario {

    private HangingScenario() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("HANGING");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
