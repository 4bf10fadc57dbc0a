//! Step 6 of the guide: the private-peering connectivity test.
pub mod connectivity_test_failed;
pub mod tcp_probe_loss;
