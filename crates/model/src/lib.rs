//! Typed models of the Azure Resource Manager contract that Microsoft's guide
//! "Verify ExpressRoute connectivity" touches, and the `erdiag-snapshot/1` file
//! that carries a circuit's collected state.
//!
//! This crate does no I/O beyond reading a snapshot from bytes: it knows nothing
//! about HTTP, terminals or checks. Unknown ARM fields are tolerated everywhere,
//! because ARM adds fields with every api-version.

pub mod acltest;
pub mod caseless;
pub mod arm;
pub mod device;
pub mod direct;
pub mod health;
pub mod id;
pub mod inputs;
pub mod ipv6;
pub mod metrics;
pub mod net;
pub mod secrets;
pub mod snapshot;
pub mod time;
pub mod values;


pub use arm::*;
pub use ipv6::{session_row_of, Family};
pub use net::{PeerSubnet, PeerSubnetError};
pub use snapshot::globalreach::{self, Authorizations, GlobalReach, GlobalReachConnection, PeerCircuit, Side};
pub use device::{DevicePath, PerPath};
pub use id::{last_segment, InvalidResourceId, ResourceId};
pub use inputs::{AclTestInput, ArpObserved, BgpObserved, CeInput, CeTexts, Inputs, Observed, ObservedPath, ObservedPoll, ProbeInput, ProbeSummary};
pub use health::HealthStatus;
pub use metrics::{Aggregation, Metric, Metrics, MetricsBatch, MetricsBatchItem, Point, TimeSeries};
pub use snapshot::{
    AclTest, ArmPaths, CircuitState, Collected, DirectState, VaultState, ObservedWindow, Envelope, Failure, GatewayState, PeeringState, Provenance, Snapshot, SnapshotDoc, SnapshotError, Unreadable,
    SNAPSHOT_FORMAT,
};
pub use acltest::AclCounters;
pub use snapshot::normalize_path;
pub use snapshot::vwan::{self, ExpressRouteConnection, ExpressRouteGateway, GatewayKind, VirtualHub, VwanGateway, VwanState};
pub use values::{AsPath, BgpState, MacAddress, NextHop};
