//! The engine: the price book (dated prices with tiers and provenance) and the hourly estimate
//! that meters every component and prices each usage type's account-wide total.

pub mod commitments;
pub mod estimate;
pub mod price_book;
