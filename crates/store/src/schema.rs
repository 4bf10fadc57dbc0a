//! Versioned migrations: numbered SQL steps, each run once in a
//! transaction and recorded in `schema_version`. A database whose version is
//! newer than this binary knows is refused: an older erdiag must not write
//! into a layout it does not understand.

use crate::db::{Conn, DbResult, P};

/// One step: its number and its SQL, where `ID_KEY` stands for an
/// auto-numbered primary key and `WITHOUT_ROWID` for SQLite's clustered
/// tables (what SQLite and PostgreSQL declare differently).
struct Migration {
    version: i64,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: "
CREATE TABLE circuits (id ID_KEY, key TEXT NOT NULL UNIQUE, arm_id TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE keys (id ID_KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE records (
    id ID_KEY,
    circuit BIGINT NOT NULL,
    kind BIGINT NOT NULL,
    key_id BIGINT NOT NULL,
    sub TEXT NOT NULL,
    value TEXT NOT NULL,
    mult BIGINT NOT NULL,
    valid_from BIGINT NOT NULL,
    valid_to BIGINT
);
CREATE INDEX records_open ON records (circuit, valid_to);
CREATE INDEX records_from ON records (circuit, valid_from);
CREATE TABLE polls (
    circuit BIGINT NOT NULL,
    at BIGINT NOT NULL,
    collected_at TEXT,
    verdict TEXT NOT NULL,
    root_cause TEXT,
    changed BIGINT NOT NULL,
    PRIMARY KEY (circuit, at)
);
CREATE TABLE points (
    key_id BIGINT NOT NULL,
    ts BIGINT NOT NULL,
    observed_at BIGINT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (key_id, ts, observed_at)
) WITHOUT_ROWID;
CREATE TABLE counters (
    circuit BIGINT NOT NULL,
    key_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    vals TEXT NOT NULL,
    PRIMARY KEY (circuit, key_id, at)
);
",
    },
    // `states` reads the lifetimes of the records of a window from this
    // index alone, and only then the records valid at a rebuilt state.
    Migration {
        version: 2,
        sql: "
CREATE INDEX records_life ON records (circuit, valid_from, valid_to);
DROP INDEX records_from;
",
    },
    // The records valid at a time `t` are read from the `valid_to > t` end of
    // this index, their `valid_from <= t` checked in the index too (before:
    // a table row read for each record closed after `t`).
    Migration {
        version: 3,
        sql: "
CREATE INDEX records_close ON records (circuit, valid_to, valid_from);
DROP INDEX records_open;
",
    },
];

/// The newest schema this binary writes.
pub const SCHEMA_VERSION: i64 = 3;

/// Why migrating failed.
pub(crate) enum MigrateError {
    Newer(i64),
    Db(String),
}

impl From<String> for MigrateError {
    fn from(e: String) -> Self {
        MigrateError::Db(e)
    }
}

/// Creates or upgrades the schema; refuses a newer one.
pub(crate) fn migrate(conn: &mut Conn) -> Result<(), MigrateError> {
    conn.begin()?;
    let result = migrate_in_transaction(conn);
    match result {
        Ok(()) => Ok(conn.commit()?),
        Err(e) => {
            conn.rollback();
            Err(e)
        }
    }
}

fn migrate_in_transaction(conn: &mut Conn) -> Result<(), MigrateError> {
    if conn.is_pg() {
        // Two collectors starting at once: one migrates, the other waits.
        conn.batch("SELECT pg_advisory_xact_lock(7316427)")?;
    }
    conn.batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL, applied_at BIGINT NOT NULL)")?;
    let current = conn.query("SELECT max(version) FROM schema_version", &[])?.into_iter().next().and_then(|r| r[0].opt_int()).unwrap_or(0);
    if current > SCHEMA_VERSION {
        return Err(MigrateError::Newer(current));
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        let (id_key, without_rowid) = if conn.is_pg() { ("BIGSERIAL PRIMARY KEY", "") } else { ("INTEGER PRIMARY KEY", "WITHOUT ROWID") };
        conn.batch(&m.sql.replace("ID_KEY", id_key).replace("WITHOUT_ROWID", without_rowid))?;
        conn.exec("INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)", &[P::I(m.version), P::I(now())])?;
    }
    Ok(())
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// The version a database is at (tests and diagnostics).
pub(crate) fn version(conn: &mut Conn) -> DbResult<i64> {
    Ok(conn.query("SELECT max(version) FROM schema_version", &[])?.into_iter().next().and_then(|r| r[0].opt_int()).unwrap_or(0))
}
