package dev.keepaliveagent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A second real user of this machine, made with {@code useradd} for one test class and deleted after
 * it: the attacker of the tests that check what the agent trusts on disk. Its commands run through
 * {@code setpriv} with its own uid and gid and no supplementary groups; root's capabilities go with
 * the change of uid, as they would for a login of that user.
 *
 * <p>Needs root; where there is none the test is skipped with the reason, except under CI=true, where
 * it must run.
 */
final class SecondUser implements AutoCloseable {

    final String name;
    final int uid;
    final int gid;

    private SecondUser(String name, int uid, int gid) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
    }

    static SecondUser create() throws IOException, InterruptedException {
        String problem = whyNot();
        if (problem != null) {
            String why = "a second user cannot be made here (" + problem + "); the attacker tests need root and useradd";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + ", and under CI=true they must run");
            }
            Assumptions.abort(why);
        }
        String name = "ka-attacker-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Command add = Command.run("useradd", "--system", "--user-group", "--no-create-home",
                "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name);
        if (add.exit != 0) {
            throw new AssertionError("useradd " + name + " failed: " + add);
        }
        try {
            Command id = Command.run("id", "-u", name);
            Command group = Command.run("id", "-g", name);
            return new SecondUser(name, Integer.parseInt(id.stdout.get(0).trim()),
                    Integer.parseInt(group.stdout.get(0).trim()));
        } catch (RuntimeException | Error e) {
            Command.run("userdel", name);
            throw e;
        }
    }

    private static String whyNot() throws IOException {
        if (!"0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")))) {
            return "not root";
        }
        for (String tool : List.of("/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/bin/setpriv")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return tool + " is missing";
            }
        }
        return null;
    }

    /** {@code command} run as this user, to its end. */
    Command run(String... command) throws IOException, InterruptedException {
        return Command.run(as(List.of(command)));
    }

    /** A shell script run as this user, to its end; {@code arguments} are its $1, $2, … */
    Command shell(String script, String... arguments) throws IOException, InterruptedException {
        return Command.run(as(shellCommand(script, arguments)));
    }

    /** A shell script started as this user, running until the test finishes it. */
    Command.Running startShell(String script, String... arguments) throws IOException {
        return Command.start(as(shellCommand(script, arguments)));
    }

    /** Gives {@code path} (not what a symbolic link there points to) to this user, as if it had made it. */
    void own(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    private static List<String> shellCommand(String script, String... arguments) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "attacker"));
        command.addAll(List.of(arguments));
        return command;
    }

    private List<String> as(List<String> command) {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
                "--inh-caps=-all", "--"));
        full.addAll(command);
        return full;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        // userdel refuses a user that still has a process, a killed one not yet reaped included.
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (Command.run("pkill", "-KILL", "-u", name).exit == 0 || Command.run("pgrep", "-u", name).exit == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the processes of " + name + " are still there 20 s after SIGKILL");
            }
            Thread.sleep(20);
        }
        Command del = Command.run("userdel", name);
        if (del.exit != 0) {
            throw new AssertionError("userdel " + name + " failed: " + del);
        }
    }
}
