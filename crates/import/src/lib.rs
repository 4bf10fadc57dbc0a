//! erdiag-import
