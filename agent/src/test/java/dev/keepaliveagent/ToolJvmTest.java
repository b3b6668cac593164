package dev.keepaliveagent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which JVMs the agent stays out of, told by the launcher's {@code sun.java.command} as each JDK writes it. */
class ToolJvmTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sun.tools.jps.Jps -l                                       | true",
        "sun.tools.jcmd.JCmd 1234 Thread.print                      | true",
        "com.sun.tools.javac.Main -help                             | true",
        "sun.security.tools.keytool.Main -list                      | true",
        "jdk.jcmd/sun.tools.jcmd.JCmd -l                            | true",
        "jdk.jfr/jdk.jfr.internal.tool.Main print x.jfr             | true",
        "java.base/sun.security.tools.keytool.Main -list            | true",
        "jdk.jshell/jdk.internal.jshell.tool.JShellToolProvider     | true",
        "dev.keepaliveagent.AgentEntry doctor 1                     | true",
        "com.example.orders.Main --port 8080                        | false",
        "com.sun.enterprise.glassfish.bootstrap.ASMain              | false",
        "orders/com.example.orders.Main                             | false",
        "dev.keepaliveagent.it.ScenarioLauncher dev.keepaliveagent.it.HelloApp | false",
        "/srv/app.jar --port 8080                                   | false",
        "                                                           | false",
    })
    void theJdksToolsAndThisJarsCommandsAreToolsAndAppsAreNot(String command, boolean tool) {
        assertEquals(tool, ToolJvm.isOne(command, Path.of("/opt/keepalive/keepalive-agent.jar")));
    }

    @Test
    void thisJarRunWithDashJarIsATool(@TempDir Path temp) throws Exception {
        Path jar = Files.createFile(temp.resolve("keepalive-agent.jar"));
        Path link = Files.createSymbolicLink(temp.resolve("current.jar"), jar);
        assertEquals(true, ToolJvm.isOne(jar + " doctor 1", jar));
        assertEquals(true, ToolJvm.isOne(link + " attach 1 idle=60", jar));
        assertEquals(false, ToolJvm.isOne(Files.createFile(temp.resolve("app.jar")) + " --port 8080", jar));
    }
}
