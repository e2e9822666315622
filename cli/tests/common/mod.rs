//! Running the `second-heart` binary on a test's database.

use assert_cmd::Command;
use serde_json::Value;

/// `second-heart --db <db>`.
pub fn second_heart(db: &std::path::Path) -> Command {
    let mut command = Command::cargo_bin("second-heart").expect("binary is built");
    command.arg("--db").arg(db);
    command
}

/// Runs `second-heart --db <db> --json <args>`, which must succeed, and
/// reads what it printed.
pub fn json(db: &std::path::Path, args: &[&str]) -> Value {
    let output = second_heart(db)
        .arg("--json")
        .args(args)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// `--tz Europe/Berlin --at <time>`.
pub fn at(time: &str) -> Vec<&str> {
    vec!["--tz", "Europe/Berlin", "--at", time]
}
