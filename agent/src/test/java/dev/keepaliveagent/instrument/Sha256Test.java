package dev.keepaliveagent.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written digest agrees with the JDK's at every padding boundary and on class-sized input. */
class Sha256Test {

    @Test
    void agreesWithTheJdkOnEveryLengthAroundABlock() throws Exception {
        Random random = new Random(24);
        for (int length = 0; length <= 200; length++) {
            byte[] message = new byte[length];
            random.nextBytes(message);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(message), Sha256.digest(message),
                    "length " + length);
        }
        byte[] large = new byte[100_003];
        random.nextBytes(large);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(large), Sha256.digest(large));
    }

    @Test
    void theStandardsOwnExample() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)));
    }
}
