//! `erdiag checks` and `erdiag explain`: the check catalogue
//! (`erdiag_pipeline::catalog`) as a table, JSON, or one check's documentation.

use crate::flags::{ChecksArgs, ListFormat};
use crate::terminal::emit;
use erdiag_pipeline::catalog::{self, CheckInfo};
use erdiag_pipeline::Error;

pub fn list(a: ChecksArgs) -> Result<u8, Error> {
    let checks = catalog::checks();
    let s = match a.output.output {
        ListFormat::Json => {
            let v: Vec<CheckInfo> = checks.iter().map(|c| CheckInfo::from(*c)).collect();
            crate::terminal::json(&v)
        }
        ListFormat::Table => {
            let w = checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
            let mut s = format!("{:5}  {:w$}  {:17}  {:9}  points\n", "ID", "NAME", "LAYER", "OWNER");
            for c in checks {
                let pts = c.points.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(",");
                s.push_str(&format!("{:5}  {:w$}  {:17}  {:9}  {pts}\n", c.id, c.name, c.layer.as_str(), c.owner.as_str()));
            }
            s
        }
    };
    emit(&s)?;
    Ok(0)
}

pub fn explain(check: &str) -> Result<u8, Error> {
    let c = catalog::find(check)?;
    let pts = catalog::points(c).iter().map(|(p, name)| format!("{p} ({name})")).collect::<Vec<_>>().join(", ");
    emit(&format!("{} {}\nlayer: {} · default owner: {} · network points: {pts}\n\n{}\n", c.id, c.name, c.layer, c.owner, c.documentation()))?;
    Ok(0)
}
