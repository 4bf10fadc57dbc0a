//! Where a value sits in a JSON text, by line.
//!
//! `serde_json::Value` forgets positions, but an error about the seventh row
//! of an ARP table must name its line. This walks the (already validated)
//! text along a JSON path and returns the line the value starts on.

#[cfg(test)]
use std::fmt;

/// One step of a JSON path: an object key (as written) or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// Formats a path as `value[3].macAddress`.
#[cfg(test)]
pub(crate) struct PathDisplay<'a>(pub &'a [Seg]);

#[cfg(test)]
impl fmt::Display for PathDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => f.write_str(k)?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// The 1-based line on which the value at `path` starts in `text`, or `None`
/// when the path does not exist (or the text is not JSON).
pub(crate) fn line_of(text: &str, path: &[Seg]) -> Option<usize> {
    let mut c = Cursor { b: text.as_bytes(), i: 0, line: 1 };
    c.find(path)
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => break,
            }
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.peek()? == c).then(|| self.i += 1)
    }

    fn find(&mut self, path: &[Seg]) -> Option<usize> {
        self.ws();
        let Some((first, rest)) = path.split_first() else { return Some(self.line) };
        match (self.peek()?, first) {
            (b'{', Seg::Key(want)) => {
                self.i += 1;
                loop {
                    self.ws();
                    if self.peek()? == b'}' {
                        return None;
                    }
                    let key = self.string()?;
                    self.eat(b':')?;
                    if &key == want {
                        return self.find(rest);
                    }
                    self.skip()?;
                    self.eat(b',')?;
                }
            }
            (b'[', Seg::Index(want)) => {
                self.i += 1;
                let mut n = 0;
                loop {
                    self.ws();
                    if self.peek()? == b']' {
                        return None;
                    }
                    if n == *want {
                        return self.find(rest);
                    }
                    self.skip()?;
                    self.eat(b',')?;
                    n += 1;
                }
            }
            _ => None,
        }
    }

    /// Reads a string token and decodes it.
    fn string(&mut self) -> Option<String> {
        self.ws();
        let start = self.i;
        if self.peek()? != b'"' {
            return None;
        }
        self.i += 1;
        loop {
            match self.peek()? {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\n' => {
                    self.line += 1;
                    self.i += 1
                }
                _ => self.i += 1,
            }
        }
        let raw = std::str::from_utf8(self.b.get(start..self.i)?).ok()?;
        serde_json::from_str(raw).ok()
    }

    /// Skips one value of any kind.
    fn skip(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.i += 1;
                loop {
                    self.ws();
                    if self.peek()? == close {
                        self.i += 1;
                        return Some(());
                    }
                    if open == b'{' {
                        self.string()?;
                        self.eat(b':')?;
                    }
                    self.skip()?;
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        c if c == close => {}
                        _ => return None,
                    }
                }
            }
            _ => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    self.i += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Seg {
        Seg::Key(s.into())
    }

    #[test]
    fn finds_lines_of_nested_values() {
        let t = "{\n  \"nextLink\": null,\n  \"value\": [\n    {\"age\": 1},\n    {\n      \"age\": \"x\",\n      \"a\\\"b\": [1, {\"c\": 2}]\n    }\n  ]\n}";
        assert_eq!(line_of(t, &[]), Some(1));
        assert_eq!(line_of(t, &[k("value")]), Some(3));
        assert_eq!(line_of(t, &[k("value"), Seg::Index(0)]), Some(4));
        assert_eq!(line_of(t, &[k("value"), Seg::Index(1), k("age")]), Some(6));
        assert_eq!(line_of(t, &[k("value"), Seg::Index(1), k("a\"b"), Seg::Index(1), k("c")]), Some(7));
        assert_eq!(line_of(t, &[k("value"), Seg::Index(2)]), None);
        assert_eq!(line_of(t, &[k("nope")]), None);
        assert_eq!(line_of("", &[k("x")]), None);
        assert_eq!(line_of("{\"a\": [1,", &[k("a"), Seg::Index(3)]), None);
    }

    #[test]
    fn displays_paths() {
        assert_eq!(PathDisplay(&[k("value"), Seg::Index(3), k("age")]).to_string(), "value[3].age");
    }
}
