//! A Price List offer file (JSON, streamed) and its CSV form.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = archcost::price_list::offer_file::read_json(data, "fuzz.json", &mut |_| true);
    let _ = archcost::price_list::offer_file::read_csv(data, "fuzz.csv", &mut |_| true);
});
