package frl.services;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Dependency checks for {@code GET /health}. */
public final class Health {
    private Health() {
    }

    /** True when the database answers within a second. */
    public static boolean up(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return c.isValid(1);
        }
    }
}
