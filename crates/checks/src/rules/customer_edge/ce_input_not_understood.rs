use crate::ce::CeWarning;
use crate::{Check, Context, Finding};
use erdiag_model::DevicePath;

/// Lines quoted in the evidence; the rest are counted.
const SHOWN: usize = 20;

check! {
    /// ## What it checks
    /// Whether every line of the CE texts given for each path (`--ce`) was
    /// understood: in a running configuration, every line of the sections
    /// erdiag reads (interfaces, BGP, prefix lists, route maps); in a show
    /// output, every line of the table it recognised.
    ///
    /// ## Why it matters
    /// The other customer-edge checks conclude on what was understood. A
    /// line not understood may hold what one of them needs (the MSEE's
    /// neighbor row, its ARP entry, the subinterface), so their evidence on
    /// that path is partial: a fault written on such a line goes unseen.
    ///
    /// ## Evidence
    /// Each line not understood, as `file:line: why`; a text that could not
    /// be read at all, by its file name.
    ///
    /// ## Remediation
    /// Look at the lines named: give the complete output of each command as
    /// the router printed it (no `| include`, `terminal length 0`), or the
    /// whole `show running-config`. `erdiag parse FILE` shows how a show
    /// output is read.
    ///
    /// ## References
    /// Batfish's parse warnings (`fileParseStatus`); erdiag's README, CE input.
    pub static CE_INPUT_NOT_UNDERSTOOD = {
        id: "ER913", name: "ce-input-not-understood", layer: CustomerEdge, owner: Customer, points: [2],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    for d in DevicePath::BOTH {
        let ce = &cx.ce[d.index()];
        if ce.is_empty() {
            continue;
        }
        let files = ce.files.join(", ");
        let finding = if ce.warnings.is_empty() {
            Finding::pass(c, format!("Every line erdiag reads of {files} was understood."))
        } else {
            let n = ce.warnings.len();
            let mut evidence: Vec<String> = ce.warnings.iter().take(SHOWN).map(CeWarning::to_string).collect();
            if n > SHOWN {
                evidence.push(format!("… and {} more", n - SHOWN));
            }
            // A warning at line 0 is a text not read at all.
            let unread = ce.warnings.iter().filter(|w| w.line == 0).count();
            let what = match (n - unread, unread) {
                (lines, 0) => format!("{lines} line(s) of {files} not understood"),
                (0, texts) => format!("{texts} text(s) of {files} not read"),
                (lines, texts) => format!("{lines} line(s) of {files} not understood and {texts} text(s) not read"),
            };
            Finding::warn(c, format!("{what}: the customer-edge checks of this path read the rest, so their evidence is partial."))
                .evidence_all(evidence)
                .fix("Give the complete output of each command as the router printed it, or the whole running configuration; `erdiag parse FILE` shows how a show output is read.")
        };
        out.push(finding.path(d));
    }
}
