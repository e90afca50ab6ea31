package frl.services;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Base of the tests that need the whole stack: one {@link LabStack} per test class (starting it
 * costs about a second), and after every test the reset an experiment run starts with, so no
 * chaos switch, open breaker or counter leaks into the next test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StackTest {
    protected LabStack stack;

    @BeforeAll
    void startStack() throws Exception {
        stack = new LabStack();
    }

    @AfterAll
    void stopStack() {
        stack.close();
    }

    @AfterEach
    void resetStack() throws Exception {
        for (String s : List.of("gateway", "orders", "payments", "inventory", "notifications")) {
            assertEquals(200, stack.admin(s, "POST", "/admin/reset", null).statusCode(), s);
        }
    }
}
