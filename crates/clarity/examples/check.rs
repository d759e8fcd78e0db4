//! `cargo run -p okno-clarity --example check -- FILE…`: the report of each file as JSON, one
//! per line. A developer's window into the checker until `okno check` lands; I/O lives here,
//! never in the library.

fn main() {
    let config = okno_clarity::Config::default();
    for path in std::env::args().skip(1) {
        let format = okno_clarity::Format::from_file_name(&path).unwrap_or(okno_clarity::Format::Text);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("{path}: {error}");
                continue;
            }
        };
        match okno_clarity::extract(&bytes, format) {
            Ok(doc) => {
                let report = okno_clarity::check(&doc, &config);
                println!("{}", serde_json::to_string(&report).expect("reports serialise"));
            }
            Err(error) => eprintln!("{path}: {error}"),
        }
    }
}
