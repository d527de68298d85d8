//! Build script of `calais-web` (`src/web/Cargo.toml` names it): the git commit the build is made from, for the export
//! record's `app.commit` (`export_ui.rs`, `option_env!("CALAIS_GIT_COMMIT")`). No commit (no
//! git, not a repository, an archive) leaves it unset: the record says `null`.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).ok())
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn main() {
    // Re-run when HEAD moves (a commit or a checkout appends to HEAD's reflog).
    for path in ["HEAD", "logs/HEAD"] {
        if let Some(p) = git(&["rev-parse", "--path-format=absolute", "--git-path", path]) {
            println!("cargo:rerun-if-changed={p}");
        }
    }
    if let Some(commit) = git(&["rev-parse", "--short=12", "HEAD"]) {
        println!("cargo:rustc-env=CALAIS_GIT_COMMIT={commit}");
    }
}
