//! No import cycles among the web shell's modules, and no panel importing another panel
//! (ARCHITECTURE.md, "Invariants").
//!
//! Reads `src/web/**/*.rs` as text (std only: nothing is built or installed for it), builds the
//! graph "module A refers to module B" and fails naming each cycle with the file and line of
//! every reference in it. Runs natively in `cargo test --workspace` (`make test`); alone:
//! `cargo test -p calais-map --test module_graph` (`-- --nocapture` prints the floors: 0 for a
//! module that refers to no other, else one above the highest module it refers to).
//!
//! Modules are files: `lib.rs` is the crate root, `x.rs` is `x`, `render/mod.rs` is `render`
//! and each other file of `render/` is a module of its own (`render/draw.rs` is `render::draw`).
//! A reference is
//! - a `mod x;` declaration: the parent owns the child, so a child that reaches back into its
//!   parent's `mod.rs` closes a cycle (what both need goes into a child file);
//! - a path outside comments and string literals, in code, in a `view!` or in a `use` tree
//!   (groups expanded), that starts with `crate::`, `super::`, `self::` or the name of a module
//!   the file declares (`draw::Pen` in `render/mod.rs`); it refers to the longest prefix of the
//!   path that is a module file. Inline modules (`mod tests { use super::*; }`) belong to their
//!   file. `crate::core` is the core crate (re-exported by `lib.rs`), outside the graph.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Items of the crate root that are other crates, not modules of the shell.
const OUTSIDE: &[&str] = &["core"];

/// The panel modules (floor 4): what two of them share lives in `widgets` or lower, and the
/// app (`lib.rs`) nests one panel in another by passing it as children.
const PANELS: &[&str] = &[
    "components.rs",
    "export_ui.rs",
    "feed_strip.rs",
    "compare_ui.rs",
    "geofence_ui.rs",
    "heatmap_ui.rs",
    "incident_ui.rs",
    "playback_ui.rs",
    "sheets.rs",
    "tap_chooser.rs",
    "wall_ui.rs",
    "zone_editor_ui.rs",
    "lang_switch.rs",
    "grids_ui.rs",
];

/// A module: its path from the crate root (`[]` is `lib.rs`).
type Module = Vec<String>;

/// One reference of a module to another, where it is written.
#[derive(Clone, Debug)]
struct Edge {
    from: Module,
    to: Module,
    line: usize,
    text: String,
}

/// The shell's modules and the references between them.
#[derive(Debug, Default)]
struct Graph {
    /// Module → its file, relative to the crate folder.
    files: BTreeMap<Module, String>,
    /// Every reference from one module to another (self references left out).
    refs: Vec<Edge>,
    /// The first reference from one module to another.
    edges: BTreeMap<(Module, Module), Edge>,
}

/// `lib.rs` → `[]`, `render/mod.rs` → `[render]`, `render/draw.rs` → `[render, draw]`.
fn module_of(file: &str) -> Module {
    let stem = file.strip_suffix(".rs").unwrap_or(file);
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") || parts == ["lib"] {
        parts.pop();
    }
    parts
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    Sep,
    Open,
    Close,
    Comma,
    Semi,
    Star,
    Other,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: usize,
}

/// Rust source as identifiers and the punctuation paths are made of; comments, string, byte,
/// raw string and char literals, lifetimes and numbers are dropped.
fn tokens(src: &str) -> Vec<Token> {
    let c: Vec<char> = src.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Skips a quoted literal whose opening quote is at `i`; returns the index after it.
    let skip_quoted = |mut i: usize, quote: char, line: &mut usize| {
        i += 1;
        while i < c.len() && c[i] != quote {
            if c[i] == '\\' {
                i += 1;
            }
            if at(i) == '\n' {
                *line += 1;
            }
            i += 1;
        }
        i + 1
    };
    while i < c.len() {
        let ch = c[i];
        let push = |out: &mut Vec<Token>, tok: Tok| out.push(Token { tok, line });
        match ch {
            '\n' => {
                line += 1;
                i += 1;
            }
            '/' if at(i + 1) == '/' => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if at(i + 1) == '*' => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && at(i + 1) == '*' {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && at(i + 1) == '/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if c[i] == '\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                }
            }
            '"' => i = skip_quoted(i, '"', &mut line),
            '\'' => {
                if at(i + 1) == '\\' || at(i + 2) == '\'' {
                    i = skip_quoted(i, '\'', &mut line); // a char literal
                } else {
                    i += 1; // a lifetime or a label: its name is skipped as an identifier
                    while at(i).is_alphanumeric() || at(i) == '_' {
                        i += 1;
                    }
                }
            }
            ':' if at(i + 1) == ':' => {
                push(&mut out, Tok::Sep);
                i += 2;
            }
            '{' | '}' | ',' | ';' | '*' => {
                let tok = match ch {
                    '{' => Tok::Open,
                    '}' => Tok::Close,
                    ',' => Tok::Comma,
                    ';' => Tok::Semi,
                    _ => Tok::Star,
                };
                push(&mut out, tok);
                i += 1;
            }
            _ if ch.is_ascii_digit() => {
                while at(i).is_alphanumeric() || at(i) == '_' || at(i) == '.' {
                    i += 1;
                }
            }
            _ if ch.is_alphabetic() || ch == '_' => {
                let start = i;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
                let word: String = c[start..i].iter().collect();
                match (word.as_str(), at(i)) {
                    ("b", '"') => i = skip_quoted(i, '"', &mut line),
                    ("b", '\'') => i = skip_quoted(i, '\'', &mut line),
                    ("r" | "br", '"' | '#') => {
                        let mut hashes = 0;
                        while at(i + hashes) == '#' {
                            hashes += 1;
                        }
                        if at(i + hashes) != '"' {
                            i += hashes; // a raw identifier (`r#type`): read next as a word
                            continue;
                        }
                        i += hashes + 1;
                        let closes =
                            |i: usize| at(i) == '"' && (1..=hashes).all(|k| at(i + k) == '#');
                        while i < c.len() && !closes(i) {
                            if c[i] == '\n' {
                                line += 1;
                            }
                            i += 1;
                        }
                        i += hashes + 1;
                    }
                    _ => push(&mut out, Tok::Ident(word)),
                }
            }
            _ => {
                if !ch.is_whitespace() {
                    push(&mut out, Tok::Other);
                }
                i += 1;
            }
        }
    }
    out
}

/// The paths of the path or `use` tree starting at `i` (`a::b`, `a::{b, c::{self, d}}`,
/// `a::*`, `a as b`), each from its first segment, and the index after the tree.
fn tree(toks: &[Token], mut i: usize, prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let kind = |i: usize| toks.get(i).map(|t| &t.tok);
    let mut path = prefix;
    loop {
        match kind(i) {
            Some(Tok::Ident(s)) => {
                path.push(s.clone());
                i += 1;
                if kind(i) == Some(&Tok::Sep) {
                    i += 1;
                    continue;
                }
                if kind(i) == Some(&Tok::Ident("as".to_string())) {
                    i += 2;
                }
                return (vec![path], i);
            }
            Some(Tok::Open) => {
                i += 1;
                let mut out = Vec::new();
                while let Some(k) = kind(i) {
                    match k {
                        Tok::Close => {
                            i += 1;
                            break;
                        }
                        Tok::Comma => i += 1,
                        _ => {
                            let (paths, next) = tree(toks, i, path.clone());
                            out.extend(paths);
                            i = next.max(i + 1);
                        }
                    }
                }
                return (out, i);
            }
            Some(Tok::Star) => return (vec![path], i + 1),
            _ => return (vec![path], i),
        }
    }
}

/// The module a path written in module `cur` (the file's module, then inline modules) refers
/// to: the longest prefix of the absolute path that is a module; `None` outside the shell.
fn resolve(cur: &[String], path: &[String], modules: &BTreeMap<Module, String>) -> Option<Module> {
    let mut rest = path.iter().peekable();
    let mut abs: Vec<String> = if rest.next_if(|s| *s == "crate").is_some() {
        Vec::new()
    } else {
        cur.to_vec() // `self::`, `super::` or a child module's name
    };
    while let Some(s) = rest.next_if(|s| *s == "self" || *s == "super") {
        if s == "super" {
            abs.pop();
        }
    }
    abs.extend(rest.filter(|s| *s != "self").cloned());
    if abs.first().is_some_and(|s| OUTSIDE.contains(&s.as_str())) {
        return None;
    }
    (0..=abs.len())
        .rev()
        .map(|n| abs[..n].to_vec())
        .find(|m| modules.contains_key(m))
}

/// The graph of `(file relative to the crate folder, text)` pairs.
fn graph(files: &[(String, String)]) -> Graph {
    let mut g = Graph::default();
    for (file, _) in files {
        g.files.insert(module_of(file), file.clone());
    }
    for (file, text) in files {
        let own = module_of(file);
        let toks = tokens(text);
        let word = |i: usize| match toks.get(i).map(|t| &t.tok) {
            Some(Tok::Ident(s)) => Some(s.as_str()),
            _ => None,
        };
        let kind = |i: usize| toks.get(i).map(|t| &t.tok);
        // The modules this file declares (`mod x;`): their names start paths here.
        let children: BTreeSet<&str> = (0..toks.len())
            .filter(|&i| word(i) == Some("mod") && kind(i + 2) == Some(&Tok::Semi))
            .filter_map(|i| word(i + 1))
            .collect();
        let add = |g: &mut Graph, to: Module, line: usize, text: String| {
            if to != own {
                let e = Edge {
                    from: own.clone(),
                    to: to.clone(),
                    line,
                    text,
                };
                g.refs.push(e.clone());
                g.edges.entry((own.clone(), to)).or_insert(e);
            }
        };
        // Inline modules open at these brace depths.
        let mut inline: Vec<(String, usize)> = Vec::new();
        let mut depth = 0;
        let mut i = 0;
        while i < toks.len() {
            let line = toks[i].line;
            let cur: Module = own
                .iter()
                .cloned()
                .chain(inline.iter().map(|(n, _)| n.clone()))
                .collect();
            match &toks[i].tok {
                Tok::Open => depth += 1,
                Tok::Close => {
                    depth -= 1;
                    inline.retain(|(_, d)| *d <= depth);
                }
                Tok::Ident(w) if w == "mod" => {
                    if let Some(name) = word(i + 1) {
                        match kind(i + 2) {
                            Some(Tok::Semi) => {
                                let child: Module =
                                    cur.iter().cloned().chain([name.to_string()]).collect();
                                if g.files.contains_key(&child) {
                                    add(&mut g, child, line, format!("mod {name};"));
                                }
                            }
                            Some(Tok::Open) => inline.push((name.to_string(), depth + 1)),
                            _ => {}
                        }
                    }
                }
                Tok::Ident(w)
                    if (matches!(w.as_str(), "crate" | "super" | "self")
                        || children.contains(w.as_str()))
                        && kind(i + 1) == Some(&Tok::Sep)
                        && (i == 0 || kind(i - 1) != Some(&Tok::Sep)) =>
                {
                    let (paths, next) = tree(&toks, i, Vec::new());
                    for p in paths {
                        if let Some(to) = resolve(&cur, &p, &g.files) {
                            add(&mut g, to, line, p.join("::"));
                        }
                    }
                    i = next;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }
    g
}

/// Strongly connected components of more than one module (Tarjan), each sorted.
fn cycles(g: &Graph) -> Vec<Vec<Module>> {
    struct State<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        out: Vec<Vec<Module>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let g = s.g;
        for (_, w) in g.edges.keys().filter(|(from, _)| from == v) {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                scc.push(w.clone());
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                s.out.push(scc);
            }
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for m in g.files.keys() {
        if !s.index.contains_key(m) {
            visit(&mut s, m);
        }
    }
    s.out.sort();
    s.out
}

/// A shortest cycle through the first module of a strongly connected component (breadth-first
/// inside it), as the edges taken.
fn one_cycle<'a>(g: &'a Graph, scc: &[Module]) -> Vec<&'a Edge> {
    let start = &scc[0];
    let inside: BTreeSet<&Module> = scc.iter().collect();
    let mut came: BTreeMap<&Module, &Edge> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for e in g
            .edges
            .values()
            .filter(|e| &e.from == v && inside.contains(&e.to))
        {
            if &e.to == start {
                let mut path = vec![e];
                let mut at = v;
                while at != start {
                    let back = came[at];
                    path.push(back);
                    at = &back.from;
                }
                path.reverse();
                return path;
            }
            if !came.contains_key(&e.to) {
                came.insert(&e.to, e);
                queue.push_back(&e.to);
            }
        }
    }
    Vec::new()
}

/// The failure text for the cycles of `g` (empty: none).
fn report(g: &Graph) -> String {
    let name = |m: &Module| g.files[m].clone();
    let mut out = String::new();
    for scc in cycles(g) {
        let path = one_cycle(g, &scc);
        let mut names: Vec<String> = path.iter().map(|e| name(&e.from)).collect();
        names.push(name(&scc[0]));
        out += &format!("  cycle: {}\n", names.join(" → "));
        for e in &path {
            out += &format!("    {}:{}  {}\n", name(&e.from), e.line, e.text);
        }
        if scc.len() > path.len() {
            let all: Vec<String> = scc.iter().map(name).collect();
            out += &format!("  and all of these reach each other: {}\n", all.join(", "));
            out += "  through these references (the first of each pair):\n";
            let inside = |m: &Module| scc.contains(m);
            for e in g
                .edges
                .values()
                .filter(|e| inside(&e.from) && inside(&e.to))
            {
                out += &format!("    {}:{}  {}\n", name(&e.from), e.line, e.text);
            }
        }
    }
    out
}

/// Floors: 0 for a module that refers to no other, else one above the highest it refers to
/// (only meaningful without cycles).
fn floors(g: &Graph) -> BTreeMap<usize, Vec<String>> {
    fn floor(g: &Graph, m: &Module, memo: &mut BTreeMap<Module, usize>) -> usize {
        if let Some(f) = memo.get(m) {
            return *f;
        }
        memo.insert(m.clone(), 0); // cuts a cycle, should there be one
        let f = g
            .edges
            .keys()
            .filter(|(from, _)| from == m)
            .map(|(_, to)| floor(g, to, memo) + 1)
            .max()
            .unwrap_or(0);
        memo.insert(m.clone(), f);
        f
    }
    let mut memo = BTreeMap::new();
    let mut out: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (m, file) in &g.files {
        out.entry(floor(g, m, &mut memo))
            .or_default()
            .push(file.clone());
    }
    out
}

fn read_dir(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/web is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            read_dir(root, &p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let rel = p.strip_prefix(root).expect("under the root");
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.push((
                rel,
                std::fs::read_to_string(&p).expect("a readable source file"),
            ));
        }
    }
}

/// The graph of the shell's sources.
fn shell() -> Graph {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web");
    let mut files = Vec::new();
    read_dir(&root, &root, &mut files);
    graph(&files)
}

#[test]
fn web_shell_modules_have_no_import_cycles() {
    let g = shell();
    // The scan sees the shell: every file a module, every module declared by its parent, and
    // plenty of references besides the declarations.
    assert!(
        g.files.len() >= 10,
        "only {} files under src/web",
        g.files.len()
    );
    for m in g.files.keys().filter(|m| !m.is_empty()) {
        let parent = m[..m.len() - 1].to_vec();
        assert!(
            g.edges.contains_key(&(parent, m.clone())),
            "{} is not declared by its parent (`mod` not seen)",
            g.files[m]
        );
    }
    let uses = g
        .refs
        .iter()
        .filter(|e| !e.text.starts_with("mod "))
        .count();
    assert!(uses > 20, "only {uses} references between modules found");

    let problems = report(&g);
    assert!(
        problems.is_empty(),
        "import cycles among src/web modules (every import must point down a floor; \
         ARCHITECTURE.md):\n{problems}"
    );
    for (floor, files) in floors(&g) {
        println!("floor {floor}: {}", files.join(", "));
    }
}

#[test]
fn panels_never_import_each_other() {
    let g = shell();
    let panels: Vec<&Module> = g
        .files
        .iter()
        .filter(|(_, f)| PANELS.contains(&f.as_str()))
        .map(|(m, _)| m)
        .collect();
    assert_eq!(
        panels.len(),
        PANELS.len(),
        "a panel module listed in PANELS is missing"
    );
    let wrong: Vec<String> = g
        .edges
        .values()
        .filter(|e| panels.contains(&&e.from) && panels.contains(&&e.to))
        .map(|e| format!("  {}:{}  {}", g.files[&e.from], e.line, e.text))
        .collect();
    assert!(
        wrong.is_empty(),
        "a panel imports another panel (move what they share to widgets.rs or lower, or nest \
         them in lib.rs as children):\n{}",
        wrong.join("\n")
    );
}

// The checker itself, on small synthetic crates.

fn synthetic(files: &[(&str, &str)]) -> Graph {
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
    graph(&files)
}

fn edge_list(g: &Graph) -> Vec<(String, String)> {
    g.refs
        .iter()
        .filter(|e| !e.text.starts_with("mod "))
        .map(|e| (g.files[&e.from].clone(), g.files[&e.to].clone()))
        .collect()
}

#[test]
fn checker_reports_a_two_module_cycle_with_its_lines() {
    let g = synthetic(&[
        ("lib.rs", "pub mod feed;\npub mod map;\n"),
        (
            "feed.rs",
            "fn perf() -> f64 {\n    crate::map::now_ms()\n}\n",
        ),
        (
            "map.rs",
            "use crate::feed::IncidentSelection;\npub fn now_ms() -> f64 { 0.0 }\n",
        ),
    ]);
    let r = report(&g);
    assert!(r.contains("cycle: feed.rs → map.rs → feed.rs"), "{r}");
    assert!(r.contains("feed.rs:2  crate::map::now_ms"), "{r}");
    assert!(
        r.contains("map.rs:1  crate::feed::IncidentSelection"),
        "{r}"
    );
}

#[test]
fn checker_finds_a_longer_cycle_through_use_groups() {
    let g = synthetic(&[
        ("lib.rs", "mod a; mod b; mod c; mod d;"),
        ("a.rs", "use crate::{b::X, d};"),
        ("b.rs", "use crate::c::{self, Y as Z};"),
        ("c.rs", "fn f() { let _ = crate::a::thing(); }"),
        ("d.rs", ""),
    ]);
    assert_eq!(
        cycles(&g),
        vec![vec![
            vec!["a".to_string()],
            vec!["b".to_string()],
            vec!["c".to_string()]
        ]]
    );
    assert!(
        report(&g).contains("cycle: a.rs → b.rs → c.rs → a.rs"),
        "{}",
        report(&g)
    );
    assert!(edge_list(&g).contains(&("a.rs".to_string(), "d.rs".to_string())));
}

#[test]
fn checker_ignores_comments_strings_the_core_and_test_modules() {
    let g = synthetic(&[
        (
            "lib.rs",
            "pub use calais_core as core;\npub mod a;\npub mod b;",
        ),
        (
            "a.rs",
            r####"//! Links to [`crate::b::Thing`] in docs are not imports.
/* a block /* nested */ crate::b::X */
use crate::core::units::Zoom;
pub(crate) fn f<'a>(s: &'a str) -> char {
    let _ = "crate::b::X";
    let _ = r#"crate::b::"X""#;
    let _ = b"crate::b::X";
    let q = '"';
    let _ = crate::core::time::now;
    q
}
#[cfg(test)]
mod tests {
    use super::*;
    use self::super::f;
}
"####,
        ),
        (
            "b.rs",
            "pub struct Thing;\nfn g() { crate::a::f(\"x\"); }\n",
        ),
    ]);
    assert_eq!(
        edge_list(&g),
        vec![("b.rs".to_string(), "a.rs".to_string())]
    );
    assert!(cycles(&g).is_empty());
}

#[test]
fn checker_counts_render_files_as_modules_and_mod_as_a_reference() {
    let files = [
        ("lib.rs", "pub mod render;\npub mod state;"),
        (
            "render/mod.rs",
            "pub mod draw;\npub mod style;\nuse draw::Pen;\nuse crate::state::Selection;",
        ),
        (
            "render/draw.rs",
            "use crate::render::style::{self, PortIcon};",
        ),
        ("render/style.rs", ""),
        (
            "state.rs",
            "fn t() -> crate::render::style::PortIcon { todo!() }",
        ),
    ];
    let g = synthetic(&files);
    assert!(cycles(&g).is_empty(), "{}", report(&g));
    let edges = edge_list(&g);
    for (from, to) in [
        ("render/mod.rs", "render/draw.rs"),
        ("render/mod.rs", "state.rs"),
        ("render/draw.rs", "render/style.rs"),
        ("state.rs", "render/style.rs"),
    ] {
        assert!(
            edges.contains(&(from.to_string(), to.to_string())),
            "{from} → {to}: {edges:?}"
        );
    }
    // A child reaching back into its parent's mod.rs closes a cycle with the `mod` line.
    let mut back = files.to_vec();
    back[2] = ("render/draw.rs", "use super::Renderer;");
    let r = report(&synthetic(&back));
    assert!(
        r.contains("cycle: render/mod.rs → render/draw.rs → render/mod.rs"),
        "{r}"
    );
    assert!(r.contains("render/mod.rs:1  mod draw;"), "{r}");
    // A module referring to its own items is no cycle.
    assert!(
        cycles(&synthetic(&[
            ("lib.rs", "mod a;"),
            ("a.rs", "use self::x::Y; use crate::a::Z;")
        ]))
        .is_empty()
    );
}
