package org.pisbridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The few JDBC moves the stores make, with positional parameters ({@link #nullable} for a typed null). */
final class Sql {
    private static final Object NULL = new Object();

    private Sql() {
    }

    static Object nullable(String value) {
        return value == null ? NULL : value;
    }

    /** Reads one value from the current row of a result. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Every row of the query, each read by {@code row}. */
    static <T> List<T> rows(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            List<T> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(row.read(rs));
                }
            }
            return values;
        }
    }

    static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
        return rows(c, sql, rs -> rs.getString(1), params);
    }

    /** The first column of the first row, a timestamp; null when there is no row or the value is null. */
    static java.sql.Timestamp timestamp(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1) : null;
            }
        }
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == NULL) {
                ps.setObject(i + 1, null);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    /** A unique or primary key was already taken (SQLState 23505 on H2 and PostgreSQL). */
    static boolean isDuplicateKey(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
