//! Who owns the fix of a finding: the customer, the connectivity provider
//! or Microsoft.

use serde::Serialize;
use std::fmt;

/// Who owns the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Owner {
    Customer,
    Provider,
    Microsoft,
}

impl Owner {
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Customer => "customer",
            Owner::Provider => "provider",
            Owner::Microsoft => "microsoft",
        }
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
