//! Links the addon against Node's symbols, which the process provides.

fn main() {
    napi_build::setup();
}
