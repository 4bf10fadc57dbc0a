//! The redaction policy as a property: a random secret planted in any syntax
//! of the table is gone from the line, from the text around it, and from an
//! error message quoting the line; the rest of the line stays.

use erdiag_model::secrets::{redact_line, redact_text, REDACTED, SYNTAXES};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_planted_secret_survives(i in 0..SYNTAXES.len(), secret in "[A-Za-z0-9$][A-Za-z0-9!@#$%^&*()+=./,<>?~_;{}-]{5,24}", indent in " {0,4}") {
        let syn = &SYNTAXES[i];
        let line = format!("{indent}{}", syn.example.replace("SECRET", &secret));
        let shown = redact_line(&line);
        prop_assert!(!shown.contains(secret.as_str()), "{} {}: {}", syn.platform.name(), syn.what, shown);
        prop_assert!(shown.contains(REDACTED));
        // The words before the secret are kept: the evidence still reads.
        let head = syn.example.split("SECRET").next().unwrap().trim_end();
        let kept = head.split_whitespace().next().unwrap_or("");
        prop_assert!(shown.contains(kept), "{shown}");

        let text = format!("hostname ce1\r\n{line}\r\ninterface Gi0/0/0.100\n");
        let t = redact_text(&text);
        prop_assert!(!t.contains(secret.as_str()));
        prop_assert!(t.starts_with("hostname ce1\r\n") && t.ends_with("\r\ninterface Gi0/0/0.100\n"), "{t:?}");

        for message in [format!("ce1.cfg: line 7: expected `(received)` or `(sent)` in `{}`", line.trim()), format!("not recognised (first line 1: `{}`)", line.trim())] {
            let m = redact_text(&message);
            prop_assert!(!m.contains(secret.as_str()), "{m}");
        }
    }
}

#[test]
fn the_documentation_lists_every_syntax() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/security-secrets.md")).unwrap();
    let rows = doc.lines().filter(|l| l.starts_with("| ") && l.ends_with("` |") && l.contains("SECRET")).count();
    for syn in SYNTAXES {
        let row = format!("| {} | {} | `{}` |", syn.platform.name(), syn.what, syn.example.trim());
        assert!(doc.contains(&row), "docs/security-secrets.md lacks {row}");
    }
    assert_eq!(rows, SYNTAXES.len(), "docs/security-secrets.md lists a syntax the table does not");
}
