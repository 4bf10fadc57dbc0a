//! Step 4 of the guide, second half: the routes on the MSEE.
pub mod routes_default_route;
pub mod routes_destination_lookup;
pub mod routes_overlap_vnet;
pub mod routes_paths_differ;
