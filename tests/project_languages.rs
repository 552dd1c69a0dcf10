//! Free-text facts given per language in `dpia.yaml`: each document shows its own
//! language's text (escaped like any other fact), a language a fact lacks shows another's
//! text with a marker in the document's words, `check` reports the gap as DP011 at the
//! fact's line, and a language key that is not one of ours is a located error.

mod render_support;

use std::path::Path;

use render_support::*;
use serde_json::Value;

/// The metadata-only example with per-language facts: the first purpose in English and
/// German (with markup in it), the first recipient in English and German, the first
/// measure in German only; documents in English, Dutch and German.
fn multilingual() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, project) = copy_example("metadata-only");
    let text = std::fs::read_to_string(&project).unwrap();
    let purpose = "    description: >-\n      Track token use and cost per team to manage the Claude Code licence budget and to\n      spot misconfigured or runaway clients.\n";
    assert!(text.contains(purpose));
    let text = text.replacen(
        purpose,
        "    description:\n      en: Track cost <b>per</b> team & *spot* runaway clients.\n      de: Kosten je Team verfolgen und fehlerhafte Clients erkennen.\n",
        1,
    );
    let recipient =
        "    recipient: Lumenwerk GmbH, Platform Engineering (internal Grafana Mimir)\n";
    assert!(text.contains(recipient));
    let text = text.replacen(
        recipient,
        "    recipient:\n      en: Lumenwerk GmbH, Platform Engineering (internal Grafana Mimir)\n      de: Lumenwerk GmbH, Plattformteam (internes Grafana Mimir)\n",
        1,
    );
    let measure = "  - id: content-gates-off\n    kind: technical\n    description: >-\n";
    assert!(text.contains(measure));
    let start = text.find(measure).unwrap() + measure.len();
    let end = start + text[start..].find("\n  - id:").unwrap();
    let text = format!(
        "{}  - id: content-gates-off\n    kind: technical\n    description:\n      de: Inhalte verlassen das Gerät nicht.{}",
        &text[..text.find(measure).unwrap()],
        &text[end..]
    );
    let text = text.replace("  languages: [de, en]\n", "  languages: [en, nl, de]\n");
    std::fs::write(&project, text).unwrap();
    (dir, project)
}

fn rendered(project: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    render_lang(project, out.path(), "en,nl,de", &["--format", "md,html"]);
    out
}

#[test]
fn each_document_shows_its_own_language_and_marks_a_fallback() {
    let (_dir, project) = multilingual();
    let out = rendered(&project);
    let en = visible_md(&read(out.path(), "en/notice.md"));
    let nl = visible_md(&read(out.path(), "nl/notice.md"));
    let de = visible_md(&read(out.path(), "de/notice.md"));
    assert!(
        en.contains("Track cost <b>per</b> team & *spot* runaway clients."),
        "{en}"
    );
    assert!(!en.contains("Kosten je Team"), "{en}");
    assert!(
        de.contains("Kosten je Team verfolgen und fehlerhafte Clients erkennen."),
        "{de}"
    );
    assert!(!de.contains("Track cost"), "{de}");
    assert!(
        nl.contains("Track cost <b>per</b> team & *spot* runaway clients. (alleen beschikbaar in het Engels)"),
        "English first for a language the fact lacks: {nl}"
    );
    assert!(
        de.contains("Lumenwerk GmbH, Plattformteam (internes Grafana Mimir)"),
        "{de}"
    );
    assert!(
        nl.contains("(internal Grafana Mimir) (alleen beschikbaar in het Engels)"),
        "{nl}"
    );

    let dpia = |lang: &str| visible_md(&read(out.path(), &format!("{lang}/dpia.md")));
    let measure = "Inhalte verlassen das Gerät nicht.";
    assert!(
        dpia("de").contains(measure) && !dpia("de").contains("nur auf"),
        "{}",
        dpia("de")
    );
    assert!(dpia("en").contains(&format!("{measure} (only available in German)")));
    assert!(dpia("nl").contains(&format!("{measure} (alleen beschikbaar in het Duits)")));

    // The markup in the fact is text in every format, the marker with it.
    let html = read(out.path(), "nl/notice.html");
    assert!(!html.contains("<b>per</b>"), "raw HTML from dpia.yaml");
    assert!(html.contains("&lt;b&gt;per&lt;/b&gt;"), "{html}");
    assert!(html.contains("(alleen beschikbaar in het Engels)"));
    let md = read(out.path(), "nl/notice.md");
    let typst = otel_dpia::render::typst::document(
        &md,
        &otel_dpia::render::typst::TypstDoc {
            lang: "nl",
            date: None,
        },
    );
    assert!(
        typst.contains("alleen beschikbaar in het Engels"),
        "{typst}"
    );
    assert!(
        !typst.contains("<b>per</b>") && !typst.contains(" *spot* "),
        "{typst}"
    );
    let de_typst = otel_dpia::render::typst::document(
        &read(out.path(), "de/notice.md"),
        &otel_dpia::render::typst::TypstDoc {
            lang: "de",
            date: None,
        },
    );
    assert!(de_typst.contains("Kosten je Team verfolgen"), "{de_typst}");
}

#[test]
fn check_reports_each_missing_translation_at_its_line() {
    let (dir, project) = multilingual();
    let out = run(&[
        "check",
        project.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = std::fs::read_to_string(dir.path().join("dpia.yaml")).unwrap();
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i as u64 + 1)
            .unwrap()
    };
    let mut found: Vec<(String, String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "DP011" && f["message"].as_str().unwrap().contains("translation"))
        .map(|f| {
            (
                f["message"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    let purpose = line_of("Track cost <b>") - 1;
    let recipient =
        line_of("en: Lumenwerk GmbH, Platform Engineering (internal Grafana Mimir)") - 1;
    let measure = line_of("de: Inhalte verlassen") - 1;
    let want = |what: &str, lang: &str, line: u64| {
        (
            format!("missing translation: `{what}` has no {lang} text"),
            "dpia.yaml".to_string(),
            line,
        )
    };
    let mut expected = vec![
        want("destinations[0].recipient", "Dutch", recipient),
        want("measures[0].description", "Dutch", measure),
        want("measures[0].description", "English", measure),
        want("purposes[0].description", "Dutch", purpose),
    ];
    expected.sort();
    assert_eq!(found, expected, "{v:#}");
}

#[test]
fn a_language_that_is_not_ours_or_an_empty_mapping_is_a_located_error() {
    for (text, wanted) in [
        ("{en: Cost control., eng: Cost.}", "did you mean `en`"),
        ("{}", "empty mapping"),
    ] {
        let (dir, project) = copy_example("metadata-only");
        let original = std::fs::read_to_string(&project).unwrap();
        let purpose = "    description: >-\n      Track token use and cost per team to manage the Claude Code licence budget and to\n      spot misconfigured or runaway clients.\n";
        let edited = original.replacen(purpose, &format!("    description: {text}\n"), 1);
        std::fs::write(&project, &edited).unwrap();
        let line = edited
            .lines()
            .position(|l| l.contains(text))
            .map(|i| i + 1)
            .unwrap();
        let out_dir = dir.path().join("out");
        let out = run(&[
            "render",
            project.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
            "--format",
            "md",
            "--date",
            "2026-07-01",
            "--diagnostic-format",
            "short",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(out.stdout.is_empty());
        assert!(!out_dir.exists(), "nothing written");
        assert!(stderr.contains(&format!("dpia.yaml:{line}:")), "{stderr}");
        assert!(stderr.contains(wanted), "{stderr}");
    }
}
