//! The two SQL backends behind one small interface: statements written once
//! with `$1`-style parameters, integer and text values only, explicit
//! transactions. SQLite is compiled in (rusqlite, `bundled`); PostgreSQL is
//! reached through the synchronous `postgres` client, which runs its own
//! runtime and must therefore be called from a blocking thread.

use std::collections::HashMap;

/// A parameter: every column of the schema is a 64-bit integer or text.
#[derive(Debug, Clone, Copy)]
pub(crate) enum P<'a> {
    I(i64),
    T(&'a str),
    OT(Option<&'a str>),
}

/// A value read back.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum V {
    I(i64),
    T(String),
    Null,
}

impl V {
    pub(crate) fn int(&self) -> i64 {
        match self {
            V::I(i) => *i,
            _ => 0,
        }
    }
    pub(crate) fn opt_int(&self) -> Option<i64> {
        match self {
            V::I(i) => Some(*i),
            _ => None,
        }
    }
    pub(crate) fn text(self) -> String {
        match self {
            V::T(s) => s,
            V::I(i) => i.to_string(),
            V::Null => String::new(),
        }
    }
    pub(crate) fn opt_text(self) -> Option<String> {
        match self {
            V::T(s) => Some(s),
            V::I(i) => Some(i.to_string()),
            V::Null => None,
        }
    }
}

pub(crate) enum Conn {
    /// With each statement's text in SQLite's spelling, made once.
    Sqlite { conn: rusqlite::Connection, texts: HashMap<&'static str, String> },
    Pg { client: postgres::Client, statements: HashMap<&'static str, postgres::Statement> },
}

/// A database error as text (the store wraps it with its label).
pub(crate) type DbResult<T> = Result<T, String>;

/// The statement in SQLite's spelling: SQLite reads `?NNN` as the NNN-th
/// parameter; `$1` would be a named one. Translated once per statement (a
/// fleet poll runs the same few statements tens of thousands of times).
fn sqlite_sql<'a>(texts: &'a mut HashMap<&'static str, String>, sql: &'static str) -> &'a str {
    texts.entry(sql).or_insert_with(|| sql.replace('$', "?"))
}

impl Conn {
    pub(crate) fn is_pg(&self) -> bool {
        matches!(self, Conn::Pg { .. })
    }

    pub(crate) fn batch(&mut self, sql: &str) -> DbResult<()> {
        match self {
            Conn::Sqlite { conn, .. } => conn.execute_batch(sql).map_err(|e| e.to_string()),
            Conn::Pg { client, .. } => client.batch_execute(sql).map_err(pg_error),
        }
    }

    pub(crate) fn begin(&mut self) -> DbResult<()> {
        match self {
            // IMMEDIATE: take the write lock now, so two writers queue
            // instead of failing at their first write.
            Conn::Sqlite { .. } => self.batch("BEGIN IMMEDIATE"),
            Conn::Pg { .. } => self.batch("BEGIN"),
        }
    }

    pub(crate) fn commit(&mut self) -> DbResult<()> {
        self.batch("COMMIT")
    }

    pub(crate) fn rollback(&mut self) {
        let _ = self.batch("ROLLBACK");
    }

    /// Runs a statement; returns the number of rows it changed.
    pub(crate) fn exec(&mut self, sql: &'static str, params: &[P<'_>]) -> DbResult<u64> {
        match self {
            Conn::Sqlite { conn, texts } => {
                let mut st = conn.prepare_cached(sqlite_sql(texts, sql)).map_err(|e| e.to_string())?;
                let n = st.execute(rusqlite::params_from_iter(params.iter().map(sqlite_param))).map_err(|e| e.to_string())?;
                Ok(n as u64)
            }
            Conn::Pg { client, statements } => {
                let st = pg_statement(client, statements, sql)?;
                let boxed = pg_params(params);
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                client.execute(&st, &refs).map_err(pg_error)
            }
        }
    }

    /// Runs a query; every row as its values in column order.
    pub(crate) fn query(&mut self, sql: &'static str, params: &[P<'_>]) -> DbResult<Vec<Vec<V>>> {
        match self {
            Conn::Sqlite { conn, texts } => {
                let mut st = conn.prepare_cached(sqlite_sql(texts, sql)).map_err(|e| e.to_string())?;
                let n = st.column_count();
                let mut rows = st.query(rusqlite::params_from_iter(params.iter().map(sqlite_param))).map_err(|e| e.to_string())?;
                let mut out = Vec::new();
                while let Some(row) = rows.next().map_err(|e| e.to_string())? {
                    let mut vals = Vec::with_capacity(n);
                    for i in 0..n {
                        vals.push(match row.get_ref(i).map_err(|e| e.to_string())? {
                            rusqlite::types::ValueRef::Integer(i) => V::I(i),
                            rusqlite::types::ValueRef::Text(t) => V::T(String::from_utf8_lossy(t).into_owned()),
                            rusqlite::types::ValueRef::Null => V::Null,
                            rusqlite::types::ValueRef::Real(f) => V::I(f as i64),
                            rusqlite::types::ValueRef::Blob(b) => V::T(String::from_utf8_lossy(b).into_owned()),
                        });
                    }
                    out.push(vals);
                }
                Ok(out)
            }
            Conn::Pg { client, statements } => {
                let st = pg_statement(client, statements, sql)?;
                let boxed = pg_params(params);
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                let rows = client.query(&st, &refs).map_err(pg_error)?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let mut vals = Vec::with_capacity(row.len());
                    for (i, col) in row.columns().iter().enumerate() {
                        use postgres::types::Type;
                        let v = match *col.type_() {
                            Type::INT8 => row.try_get::<_, Option<i64>>(i).map_err(pg_error)?.map_or(V::Null, V::I),
                            Type::INT4 => row.try_get::<_, Option<i32>>(i).map_err(pg_error)?.map_or(V::Null, |x| V::I(x.into())),
                            Type::INT2 => row.try_get::<_, Option<i16>>(i).map_err(pg_error)?.map_or(V::Null, |x| V::I(x.into())),
                            Type::NUMERIC => return Err(format!("column {} is NUMERIC; the store reads integers and text only", col.name())),
                            _ => row.try_get::<_, Option<String>>(i).map_err(pg_error)?.map_or(V::Null, V::T),
                        };
                        vals.push(v);
                    }
                    out.push(vals);
                }
                Ok(out)
            }
        }
    }
}

fn sqlite_param<'a>(p: &'a P<'a>) -> rusqlite::types::ToSqlOutput<'a> {
    use rusqlite::types::{ToSqlOutput, Value, ValueRef};
    match *p {
        P::I(i) => ToSqlOutput::Owned(Value::Integer(i)),
        P::OT(None) => ToSqlOutput::Owned(Value::Null),
        P::T(s) | P::OT(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
    }
}

fn pg_params<'a>(params: &[P<'a>]) -> Vec<Box<dyn postgres::types::ToSql + Sync + 'a>> {
    params
        .iter()
        .map(|p| -> Box<dyn postgres::types::ToSql + Sync + 'a> {
            match *p {
                P::I(i) => Box::new(i),
                P::T(s) => Box::new(s),
                P::OT(o) => Box::new(o),
            }
        })
        .collect()
}

fn pg_statement(
    client: &mut postgres::Client,
    statements: &mut HashMap<&'static str, postgres::Statement>,
    sql: &'static str,
) -> DbResult<postgres::Statement> {
    if let Some(st) = statements.get(sql) {
        return Ok(st.clone());
    }
    let st = client.prepare(sql).map_err(pg_error)?;
    statements.insert(sql, st.clone());
    Ok(st)
}

/// PostgreSQL's own message (`ERROR: …`) where the server sent one.
pub(crate) fn pg_error(e: postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => e.to_string(),
    }
}
