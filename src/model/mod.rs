//! The model: the validated architecture (topology), its workload over the week, how its
//! traffic is routed, and the trait through which analyses ask for designs.

pub mod commitment;
pub mod routing;
pub mod source;
pub mod topology;
pub mod workload;
