//! A rollout with three coding agents gets one DPIA, one notice and one works-council pack,
//! and the notice says per agent what is and is not sent (issue: several sources).

mod common;

use common::{repo_dir, run_in, texts};

#[test]
fn three_agents_render_one_set_of_documents_with_a_section_per_agent() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("docs");
    let run = run_in(
        &repo_dir(),
        &[
            "render",
            "examples/three-agents/dpia.yaml",
            "--out",
            out.to_str().unwrap(),
            "--lang",
            "en",
            "--format",
            "md,html",
            "--date",
            "2026-11-23",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", texts(&run).1);
    for doc in ["dpia", "notice", "works-council"] {
        assert!(
            out.join(format!("en/{doc}.md")).is_file(),
            "{doc}.md missing"
        );
        assert!(
            out.join(format!("en/{doc}.html")).is_file(),
            "{doc}.html missing"
        );
    }
    let notice = std::fs::read_to_string(out.join("en/notice.md")).unwrap();
    assert!(
        notice.contains("Claude Code, OpenAI Codex CLI and Google Gemini CLI"),
        "the notice names all three agents"
    );
    let section = &notice[notice
        .find("### Per assistant")
        .expect("a per-assistant section")..];
    for agent in ["Claude Code", "OpenAI Codex CLI", "Google Gemini CLI"] {
        let at = section
            .find(&format!("**{agent}**"))
            .unwrap_or_else(|| panic!("no entry for {agent}"));
        let entry = &section[at..];
        let next = entry[1..].find("\n**").map_or(entry.len(), |i| i + 1);
        let entry = &entry[..next];
        assert!(
            entry.contains("- Sent:") && entry.contains("- Not sent:"),
            "{agent}: {entry}"
        );
    }
    // Each agent's model API is named as a place that receives data directly.
    for host in [
        "api.anthropic.com",
        "api.openai.com",
        "generativelanguage.googleapis.com",
    ] {
        assert!(notice.contains(host), "{host} missing from the notice");
    }
}

#[test]
fn the_per_agent_section_exists_in_dutch_and_german() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("docs");
    let run = run_in(
        &repo_dir(),
        &[
            "render",
            "examples/three-agents/dpia.yaml",
            "--out",
            out.to_str().unwrap(),
            "--lang",
            "nl,de",
            "--format",
            "md",
            "--date",
            "2026-11-23",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", texts(&run).1);
    for (lang, heading, sent, not_sent, joined) in [
        (
            "nl",
            "### Per assistent",
            "- Wordt verstuurd:",
            "- Wordt niet verstuurd:",
            "Claude Code, OpenAI Codex CLI en Google Gemini CLI",
        ),
        (
            "de",
            "### Je Assistent",
            "- Wird gesendet:",
            "- Wird nicht gesendet:",
            "Claude Code, OpenAI Codex CLI und Google Gemini CLI",
        ),
    ] {
        let notice = std::fs::read_to_string(out.join(format!("{lang}/notice.md"))).unwrap();
        assert!(notice.contains(joined), "{lang}: agents joined naturally");
        let section = &notice[notice
            .find(heading)
            .unwrap_or_else(|| panic!("{lang}: no per-agent section"))..];
        assert_eq!(
            section.matches(sent).count(),
            3,
            "{lang}: one sent line per agent"
        );
        assert_eq!(
            section.matches(not_sent).count(),
            3,
            "{lang}: one not-sent line per agent"
        );
    }
}
