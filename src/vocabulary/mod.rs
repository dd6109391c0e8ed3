//! The words every other layer uses: billing units, service codes and regions, the billing
//! period, number formatting, where traffic goes and how it is routed, and how a field of a
//! model is checked. Depends on nothing else in archcost.

pub mod calendar;
pub mod fields;
pub mod network;
pub(crate) mod text;
pub mod units;
