package dev.keepaliveagent.rescue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where there is no /proc (another OS, or a sandbox without it), the start-up line says what that costs. */
class StartUpWindowTest {

    @Test
    void linuxHasWhereToLook() {
        assertNull(StartUpWindow.whyItCannotLook(Paths.get("/proc/self")));
    }

    @Test
    void withoutProcTheStartUpLineSaysWhatIsNotCovered(@TempDir Path notProc) {
        assertEquals("there is no " + notProc.resolve("fd") + " to look in on "
                + System.getProperty("os.name") + ", so a socket opened before the hooks were live keeps the system's keepalive",
                StartUpWindow.whyItCannotLook(notProc));
    }
}
