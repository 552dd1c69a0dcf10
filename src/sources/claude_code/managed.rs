//! The managed (policy) settings: which files were given, how they form tiers, and which
//! tier the client uses.
//!
//! `--managed-settings` (or `inputs.managed_settings`) may name a `managed-settings.json`,
//! a `managed-settings.d/` folder, a folder holding either or both (as `/etc/claude-code`
//! does), or a macOS `.plist`/`.mobileconfig`. The file tier is the main file deep-merged
//! with every `*.json` of the drop-in folder (sorted by name, dot-files skipped). Between
//! tiers the first non-empty one wins: an MDM profile with settings hides the file tier.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::merge::deep_merge;
use super::profile::read_profile;
use super::settings_file::{SettingsDoc, check, read_json};
use crate::catalogue::SettingsTable;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files};
use crate::inputs::PathRef;
use crate::sources::provenance::Tier;
use crate::tree::Node;

const MAIN_FILE: &str = "managed-settings.json";
const DROP_IN_DIR: &str = "managed-settings.d";

/// The policy settings in force.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// The tier in force; `None` when no managed tier sets anything.
    pub tier: Option<Tier>,
    /// The merged settings of that tier.
    pub root: Option<Node>,
    /// The tier of every settings file read, for provenance.
    pub tiers: BTreeMap<FileId, Tier>,
}

/// The managed inputs, sorted by kind.
#[derive(Debug, Default)]
struct Found {
    main: Vec<PathRef>,
    drop_ins: Vec<PathRef>,
    profiles: Vec<PathRef>,
}

/// Reads every managed input and picks the tier in force.
pub fn read_policy(
    paths: &[PathRef],
    files: &mut Files,
    table: &SettingsTable,
    diags: &mut Diagnostics,
) -> Policy {
    let found = classify(paths, diags);
    let mut policy = Policy::default();
    let mut file_docs = Vec::new();
    for (i, p) in found.main.iter().enumerate() {
        let doc = read_json(files, &p.path, p.named_at, Tier::ManagedFile, table, diags);
        file_docs.extend(doc.filter(|_| i == 0));
    }
    for (i, dir) in found.drop_ins.iter().enumerate() {
        for path in drop_in_files(dir, diags) {
            let doc = read_json(
                files,
                &path,
                dir.named_at,
                Tier::ManagedDropIn,
                table,
                diags,
            );
            file_docs.extend(doc.filter(|_| i == 0));
        }
    }
    let mut profile_docs = Vec::new();
    for p in &found.profiles {
        if let Some((file, root)) = read_profile(files, &p.path, p.named_at, diags)
            && let Some(root) = check(files, root, table, true, diags)
        {
            profile_docs.push(SettingsDoc {
                tier: Tier::MdmProfile,
                file,
                root,
            });
        }
    }
    for doc in file_docs.iter().chain(&profile_docs) {
        policy.tiers.insert(doc.file, doc.tier);
    }
    let profile = profile_docs.into_iter().next().filter(|d| !d.is_empty());
    if let Some(profile) = profile {
        for doc in &file_docs {
            diags.push(shadowed(files, doc, &profile));
        }
        policy.tier = Some(Tier::MdmProfile);
        policy.root = Some(profile.root);
    } else if file_docs.iter().any(|d| !d.is_empty()) {
        policy.tier = Some(Tier::ManagedFile);
        policy.root = merged(&file_docs);
    }
    policy
}

fn shadowed(files: &Files, doc: &SettingsDoc, profile: &SettingsDoc) -> Diagnostic {
    Diagnostic::new(
        Code::ManagedTierShadowed,
        format!(
            "`{}` is ignored: the MDM profile `{}` sets managed settings, and the client uses only the first non-empty policy tier",
            files.get(doc.file).display,
            files.get(profile.file).display
        ),
    )
    .at(Files::whole(doc.file))
    .hint("put every managed setting in the profile, or remove the profile so the files apply")
}

fn merged(docs: &[SettingsDoc]) -> Option<Node> {
    let (first, rest) = docs.split_first()?;
    let mut root = first.root.clone();
    for doc in rest {
        deep_merge(&mut root, &doc.root);
    }
    Some(root)
}

/// Sorts the given paths into main files, drop-in folders and profiles; reports
/// folders that are neither and kinds given more than once.
fn classify(paths: &[PathRef], diags: &mut Diagnostics) -> Found {
    let mut found = Found::default();
    for p in paths {
        let at = |path: PathBuf| PathRef {
            path,
            named_at: p.named_at,
        };
        if p.path.is_dir() {
            let main = p.path.join(MAIN_FILE);
            let drop_in = p.path.join(DROP_IN_DIR);
            // Anything under the main file's name is read, so that a folder, a pipe or a
            // broken link there is reported instead of passed over.
            let (has_main, has_drop_in) = (main.symlink_metadata().is_ok(), drop_in.is_dir());
            if has_main {
                found.main.push(at(main));
            }
            if has_drop_in {
                found.drop_ins.push(at(drop_in));
            }
            if !has_main && !has_drop_in {
                if p.path.extension().is_some_and(|e| e == "d") {
                    found.drop_ins.push(p.clone());
                } else {
                    diags.push(not_a_managed_folder(p));
                }
            }
        } else if has_extension(&p.path, &["plist", "mobileconfig"]) {
            found.profiles.push(p.clone());
        } else {
            found.main.push(p.clone());
        }
    }
    one_of(&found.main, "main managed settings files", diags);
    one_of(&found.drop_ins, "managed-settings.d folders", diags);
    one_of(&found.profiles, "MDM profiles", diags);
    found
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

fn not_a_managed_folder(p: &PathRef) -> Diagnostic {
    Diagnostic::new(
        Code::FileUnreadable,
        format!(
            "`{}` holds neither {MAIN_FILE} nor a {DROP_IN_DIR}/ folder",
            p.path.display()
        ),
    )
    .at_opt(p.named_at)
    .hint("name the managed-settings.json file, its folder, or a folder ending in `.d` of drop-in files")
}

fn one_of(list: &[PathRef], what: &str, diags: &mut Diagnostics) {
    if let [first, second, ..] = list {
        diags.push(
            Diagnostic::new(
                Code::MultipleManagedFiles,
                format!(
                    "two {what} were given (`{}` and `{}`); the client reads exactly one",
                    first.path.display(),
                    second.path.display()
                ),
            )
            .at_opt(second.named_at.or(first.named_at))
            .hint("give one of each: a managed-settings.json, a managed-settings.d/ folder, an MDM profile"),
        );
    }
}

/// The `*.json` entries of a drop-in folder, sorted by file name, dot-files skipped.
/// Entries are taken by name whatever they are: reading one that is a folder, a pipe, a
/// link that loops or leads nowhere, or that is gone by then, is a located error (the client
/// may read what a silent skip here would leave out).
fn drop_in_files(dir: &PathRef, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(&dir.path) {
        Ok(entries) => entries,
        Err(err) => {
            diags.push(
                Diagnostic::new(
                    Code::FileUnreadable,
                    format!("the folder `{}` cannot be read ({err})", dir.path.display()),
                )
                .at_opt(dir.named_at)
                .hint("check the path and its permissions"),
            );
            return Vec::new();
        }
    };
    let mut out: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => out.push(e.path()),
            Err(err) => diags.push(
                Diagnostic::new(
                    Code::FileUnreadable,
                    format!(
                        "an entry of the folder `{}` cannot be read ({err})",
                        dir.path.display()
                    ),
                )
                .at_opt(dir.named_at)
                .hint("check the folder's permissions"),
            ),
        }
    }
    out.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| !n.starts_with('.') && n.ends_with(".json"))
    });
    out.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    out
}
