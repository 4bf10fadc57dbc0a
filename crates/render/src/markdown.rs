//! The support-ticket text: what a provider or Microsoft engineer needs to
//! pick the case up — the service key, the root cause with its evidence, the
//! guide's diagram (Mermaid) marked with what was found, and what was already
//! verified. Data is text (`escape::markdown`, `escape::code`): never a table
//! cell boundary, a link or HTML.

use crate::escape::{code, markdown as m};
use crate::{points, scope_words};
use erdiag_checks::{Report, Status};
use std::fmt::Write;

pub fn markdown(r: &Report) -> String {
    let mut o = String::new();
    let c = &r.circuit;
    let _ = writeln!(o, "# ExpressRoute circuit {}: {}", m(&c.name), r.verdict.as_str());
    let _ = writeln!(o);
    let _ = writeln!(o, "| | |");
    let _ = writeln!(o, "|---|---|");
    let row = |o: &mut String, k: &str, v: Option<String>| {
        if let Some(v) = v {
            let _ = writeln!(o, "| {k} | {v} |");
        }
    };
    row(&mut o, "Service key", Some(code(c.service_key.as_deref().unwrap_or("unknown"), true)));
    row(&mut o, "Circuit", Some(code(&c.id, true)));
    row(&mut o, "Location", c.location.as_deref().map(m));
    if c.express_route_direct {
        row(&mut o, "Connectivity", Some("ExpressRoute Direct".into()));
    } else {
        row(&mut o, "Provider", c.provider.as_ref().map(|p| format!("{}{}", m(p), c.peering_location.as_ref().map(|l| format!(", {}", m(l))).unwrap_or_default())));
    }
    row(&mut o, "Bandwidth", c.bandwidth_mbps.map(|b| format!("{b} Mbps")));
    row(&mut o, "SKU", c.sku.as_deref().map(m));
    row(&mut o, "Circuit status / provider status", Some(format!("{} / {}", m(c.circuit_status.as_deref().unwrap_or("?")), m(c.provider_status.as_deref().unwrap_or("?")))));
    row(&mut o, "Peerings", Some(if c.peerings.is_empty() { "none".into() } else { m(&c.peerings.join(", ")) }));
    row(&mut o, "State collected at", r.collected_at.as_deref().map(m));
    row(&mut o, "Verdict", Some(format!("**{}**", r.verdict.as_str())));
    row(&mut o, "Coverage", Some(crate::coverage_lines(&r.coverage).0));

    let _ = writeln!(o, "\n## Problem\n");
    match &r.root_cause {
        Some(rc) => {
            let _ = writeln!(o, "{}\n", m(&rc.summary));
            let _ = writeln!(o, "- Check: {} ({})", rc.check, r.findings.iter().find(|f| f.check == rc.check).map(|f| f.name).unwrap_or(""));
            let _ = writeln!(o, "- Layer: {}", rc.layer);
            let _ = writeln!(o, "- Where: {}", m(&scope_words(&rc.peering, rc.path)));
            let _ = writeln!(o, "- Network points: {}", points(&rc.network_points));
            let _ = writeln!(o, "- Owner of the fix: {}", rc.owner);
            let _ = writeln!(o, "\n## Evidence\n");
            for f in r.findings.iter().filter(|f| f.check == rc.check && f.status == Status::Fail) {
                let _ = writeln!(o, "- **{}** ({}): {}", f.check, m(&f.scope()), m(&f.message));
                for e in &f.evidence {
                    let _ = writeln!(o, "  - {}", code(e, false));
                }
            }
            let consequences: Vec<_> = r.findings.iter().filter(|f| f.consequence_of.as_deref() == Some(rc.check.as_str())).collect();
            if !consequences.is_empty() {
                let _ = writeln!(o, "\nConsequences of the same cause:\n");
                for f in consequences {
                    let _ = writeln!(o, "- {} {} ({}): {}", f.check, f.name, m(&f.scope()), m(&f.message));
                }
            }
        }
        None => {
            let _ = writeln!(o, "No failing check. {}", match r.verdict {
                erdiag_checks::Verdict::Unknown => "Some checks could not be evaluated (see Coverage), so health cannot be confirmed.",
                _ => "The circuit looks healthy from the Azure side.",
            });
        }
    }

    let _ = writeln!(o, "\n## Diagram\n");
    let _ = writeln!(o, "The guide's network points (1 customer compute, 2 CE, 3 PE, 4 PE-MSEE, 5 MSEE, 6 VNet gateway, 7 Azure compute) on the primary and secondary path, marked with what was found:\n");
    o.push_str(&crate::mermaid::mermaid(r));

    let others: Vec<_> = r
        .findings
        .iter()
        .filter(|f| {
            matches!(f.status, Status::Fail | Status::Warn | Status::Unknown)
                && f.consequence_of.is_none()
                && r.root_cause.as_ref().is_none_or(|rc| rc.check != f.check)
        })
        .collect();
    if !others.is_empty() {
        let _ = writeln!(o, "\n## Other findings\n");
        for f in others {
            let _ = writeln!(o, "- {} {} {} ({}): {}", f.status.as_str(), f.check, f.name, m(&f.scope()), m(&f.message));
        }
    }

    let (head, lines) = crate::coverage_lines(&r.coverage);
    let _ = writeln!(o, "\n## Coverage\n");
    let _ = writeln!(o, "{}.", crate::sentence(&head));
    if !lines.is_empty() {
        let _ = writeln!(o);
    }
    for (label, text) in lines {
        let _ = writeln!(o, "- {label}: {}", m(&text));
    }

    let _ = writeln!(o, "\n## Already verified\n");
    let passed: Vec<_> = r.findings.iter().filter(|f| f.status == Status::Pass).collect();
    if passed.is_empty() {
        let _ = writeln!(o, "Nothing passed.");
    }
    for f in passed {
        let _ = writeln!(o, "- {} {} ({}): {}", f.check, f.name, m(&f.scope()), m(&f.message));
    }

    if !r.next_steps.is_empty() {
        let _ = writeln!(o, "\n## Next steps\n");
        for (i, s) in r.next_steps.iter().enumerate() {
            let _ = writeln!(o, "{}. {}", i + 1, m(s));
        }
    }
    let _ = writeln!(o, "\n_Diagnosed with erdiag {} following Microsoft's guide \"Verify ExpressRoute connectivity\"._", env!("CARGO_PKG_VERSION"));
    o
}
