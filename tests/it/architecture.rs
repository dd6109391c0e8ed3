//! The invariants ARCHITECTURE.md states that a machine can check, checked on the source:
//! which layer may use which, that only `aws/` names SDK types and only `actuals/` uses
//! polars, and that the core does no I/O and reads no clock or environment.
//!
//! Test code (from a file's `#[cfg(test)]` on) is left out: unit tests may read files.

use std::path::{Path, PathBuf};

/// The folders of the pure core, lowest layer first.
const CORE: [&str; 5] = ["vocabulary", "services", "model", "engine", "analysis"];

/// Every top-level module under `src/` of the library, and the modules it may use.
fn allowed(module: &str) -> Vec<&'static str> {
    let core_up_to = |layer: &str| {
        let i = CORE.iter().position(|c| *c == layer).expect("a core layer");
        CORE[..=i].to_vec()
    };
    match module {
        "vocabulary" | "services" | "model" | "engine" | "analysis" => core_up_to(module),
        "model_file" => [CORE.as_slice(), &["model_file"]].concat(),
        "report" => [CORE.as_slice(), &["report"]].concat(),
        "price_list" => [CORE.as_slice(), &["price_list"]].concat(),
        "actuals" => [CORE.as_slice(), &["actuals", "aws", "progress"]].concat(),
        "compute_optimizer" => [CORE.as_slice(), &["compute_optimizer", "aws"]].concat(),
        "charts" => [CORE.as_slice(), &["charts"]].concat(),
        "review" => [CORE.as_slice(), &["report", "charts", "review"]].concat(),
        "aws" => vec!["aws", "progress"],
        "progress" => vec!["progress"],
        other => panic!("src/{other}: a module ARCHITECTURE.md does not place in a layer"),
    }
}

/// The library's source files under `src/<module>/`, with their text up to `#[cfg(test)]`.
fn sources(module: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(module);
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("a source folder") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                let code = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
                files.push((path, code));
            }
        }
    }
    files.sort();
    files
}

/// The library's top-level modules (folders under `src/`, but `cli`, which is the binary's).
fn modules() -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut m: Vec<String> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|m| m != "cli")
        .collect();
    m.sort();
    m
}

/// Lines of code (comments left out) containing `needle`.
fn uses<'a>(code: &'a str, needle: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .filter(move |l| l.contains(needle))
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    for module in modules() {
        let ok = allowed(&module);
        for (path, code) in sources(&module) {
            for line in uses(&code, "crate::") {
                for (i, _) in line.match_indices("crate::") {
                    let target: String = line[i + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    assert!(
                        ok.contains(&target.as_str()),
                        "{}: `{module}` uses `crate::{target}`; it may use {ok:?}\n  {line}",
                        path.display()
                    );
                }
            }
        }
    }
}

#[test]
fn only_aws_names_sdk_types_and_only_actuals_uses_polars() {
    for module in modules() {
        for (path, code) in sources(&module) {
            for needle in ["aws_sdk_", "aws_config::", "aws_smithy", "tokio"] {
                if module != "aws" {
                    assert_eq!(
                        uses(&code, needle).next(),
                        None,
                        "{}: `{needle}` outside aws/",
                        path.display()
                    );
                }
            }
            if module != "actuals" {
                assert_eq!(
                    uses(&code, "polars").next(),
                    None,
                    "{}: polars outside actuals/",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn the_core_does_no_io_and_reads_no_clock_or_environment() {
    let forbidden = [
        "std::fs",
        "std::env",
        "std::net",
        "std::process",
        "std::time",
        "std::io::stdin",
        "std::io::stdout",
        "SystemTime",
        "Instant::now",
        "File::",
        "println!",
        "print!(",
        "eprint",
    ];
    for module in CORE {
        for (path, code) in sources(module) {
            for needle in forbidden {
                assert_eq!(
                    uses(&code, needle).next(),
                    None,
                    "{}: the core must not use `{needle}`",
                    path.display()
                );
            }
        }
    }
}

/// Regression: the shipped models pointed to a folder outside the repository, which a clone
/// does not have. Nothing in the repository may refer to files outside it.
#[test]
fn nothing_refers_to_files_outside_the_repository() {
    let outside = ["..", "/shared"].concat();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') && name != ".ci" || name == "target" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                assert!(
                    !text.contains(&outside),
                    "{} refers to {outside}",
                    path.display()
                );
            }
        }
    }
}
