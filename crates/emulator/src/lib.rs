//! erdiag-emulator
