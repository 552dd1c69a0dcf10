//! Hostile strings and secrets: input text comes out literally in Markdown, HTML and PDF
//! (never as markup, links, scripts or Typst code), and header values and tokens reach no
//! output at all.

mod render_support;

use render_support::*;

const HOSTILE: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "<script>alert(1)</script>",
    "*[x](javascript:alert(1))*",
    "``` `` `",
    "$x$ @ref <lbl> \\ / = - + ~",
];

/// A copy of the Dutch example whose organisation name, first recipient and first purpose
/// description hold every hostile string.
fn hostile_copy() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let (dir, project) = copy_example("dutch-employer");
    let hostile = HOSTILE.join(" ");
    let quoted = serde_json::to_string(&hostile).unwrap();
    let text = std::fs::read_to_string(&project).unwrap();
    let text = text
        .replacen("name: Polderdata B.V.", &format!("name: {quoted}"), 1)
        .replacen(
            "recipient: Polderdata B.V., Platform team (self-hosted ClickHouse)",
            &format!("recipient: {quoted}"),
            1,
        )
        .replacen(
            "description: >-\n      Plan licences and budget from token use and cost per team, and see early when the\n      service degrades (errors, latency).\n",
            &format!("description: {quoted}\n"),
            1,
        );
    std::fs::write(&project, text).unwrap();
    (dir, project, hostile)
}

#[test]
fn hostile_strings_are_literal_in_markdown_and_html() {
    let (_dir, project, hostile) = hostile_copy();
    let out = tempfile::tempdir().unwrap();
    render(&project, out.path(), &["--format", "md,html"]);
    for doc in ["dpia", "notice", "works-council"] {
        let md = read(out.path(), &format!("en/{doc}.md"));
        let visible = visible_md(&md);
        assert!(
            visible.contains(&flat(&hostile)),
            "{doc}.md does not show the string literally"
        );
        let html = read(out.path(), &format!("en/{doc}.html"));
        let lower = html.to_lowercase();
        assert!(
            !lower.contains("<script"),
            "{doc}.html has a script element"
        );
        assert!(
            !lower.contains("javascript:alert(1)\""),
            "{doc}.html has a javascript link"
        );
        assert!(!lower.contains("<a "), "{doc}.html has a link");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{doc}.html lost the text"
        );
        assert!(
            html.contains("*[x](javascript:alert(1))*"),
            "{doc}.html lost the literal emphasis"
        );
    }
}

#[test]
fn hostile_strings_are_escaped_in_typst_and_literal_in_the_pdf() {
    let (_dir, project, hostile) = hostile_copy();
    let out = tempfile::tempdir().unwrap();
    render(&project, out.path(), &["--format", "md"]);
    let md = read(out.path(), "en/notice.md");
    let doc = otel_dpia::render::typst::TypstDoc {
        lang: "en",
        date: None,
    };
    let source = otel_dpia::render::typst::document(&md, &doc);
    for line in source.lines().filter(|l| l.contains("read")) {
        assert!(
            !line.contains(" #read") && !line.starts_with("#read"),
            "unescaped Typst code: {line}"
        );
    }
    assert!(
        source.contains("\\#read\\(\\\"\\/etc\\/passwd\\\"\\)"),
        "escaped form missing"
    );
    let (Some(_typst), Some(pdftotext)) = (tool("typst"), tool("pdftotext")) else {
        return;
    };
    let pdf_out = tempfile::tempdir().unwrap();
    render(&project, pdf_out.path(), &["--format", "pdf"]);
    let text = flat(&pdf_text(&pdftotext, &pdf_out.path().join("en/notice.pdf")));
    for piece in [
        "#read(\"/etc/passwd\")",
        "<script>alert(1)</script>",
        "*[x](javascript:alert(1))*",
    ] {
        assert!(text.contains(piece), "PDF text lacks `{piece}`");
    }
    let _ = hostile;
}

#[test]
fn secrets_reach_no_output() {
    let (dir, project) = copy_example("dutch-employer");
    let text = std::fs::read_to_string(&project).unwrap();
    let text = text
        .replace(
            "        DEPLOY_ENV: production\n",
            "        DEPLOY_ENV: production\n        WOLKENPOST_INGEST_TOKEN: tok-WOLKEN-s3cr3t-0042\n",
        )
        .replace(
            "  sources: [claude-code@2.1.330]\n",
            "  sources: [claude-code@2.1.330]\n  env:\n    OTEL_EXPORTER_OTLP_HEADERS: \"Authorization=Bearer hdr-S3CRET-9981,x-api-key=key-S3CRET-7777\"\n",
        );
    std::fs::write(&project, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let formats = if tool("typst").is_some() {
        "md,html,pdf"
    } else {
        "md,html"
    };
    let o = render(&project, out.path(), &["--format", formats]);
    let mut seen =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    let mut files = 0;
    for entry in walk(out.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        seen.push_str(&String::from_utf8_lossy(&bytes));
        if entry.extension().is_some_and(|e| e == "pdf")
            && let Some(p) = tool("pdftotext")
        {
            seen.push_str(&pdf_text(&p, &entry));
        }
        files += 1;
    }
    assert!(
        files >= 7,
        "expected the documents and the picture, found {files} files"
    );
    for secret in [
        "tok-WOLKEN-s3cr3t-0042",
        "hdr-S3CRET-9981",
        "key-S3CRET-7777",
        "S3CRET",
        "s3cr3t",
    ] {
        assert!(
            !seen.contains(secret),
            "secret `{secret}` reached an output"
        );
    }
    drop(dir);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}
