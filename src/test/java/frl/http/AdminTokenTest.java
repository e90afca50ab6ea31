package frl.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminTokenTest {
    private static final String TOKEN = "0123456789abcdef";

    @Test
    void aTokenShorterThanSixteenCharactersRefusesToStartSayingWhy() {
        for (String shortToken : new String[]{null, "", "admin", "0123456789abcde"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new AdminToken(shortToken));
            assertTrue(e.getMessage().contains("LAB_ADMIN_TOKEN") && e.getMessage().contains("at least 16"), e.getMessage());
        }
        // and a service built with one never binds a port
        assertThrows(IllegalArgumentException.class, () -> new ServiceServer("payments", null, null, null, "short-token", null, null));
    }

    @Test
    void onlyTheExactBearerTokenIsAdmitted() {
        AdminToken token = new AdminToken(TOKEN);
        assertTrue(token.admits("Bearer " + TOKEN));
        assertTrue(token.admits("Bearer " + TOKEN + " "), "surrounding blanks are not part of a token");
        for (String wrong : new String[]{null, "", "Bearer", "Bearer ", TOKEN, "Basic " + TOKEN, "bearer " + TOKEN,
                "Bearer " + TOKEN.substring(1), "Bearer " + TOKEN + "0", "Bearer " + TOKEN.toUpperCase(),
                "Bearer " + "x".repeat(10_000)}) {
            assertFalse(token.admits(wrong), String.valueOf(wrong));
        }
    }
}
