//! Step 3 of the guide: ARP (layer 2), per peering and device path.
pub mod arp_on_prem_entry_missing;
pub mod arp_flaps;
