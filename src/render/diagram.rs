//! The data-flow picture as SVG: sources (coding agents) → collectors → destinations,
//! each box coloured by the most sensitive level of data it carries, with a legend.
//!
//! The layout is a fixed grid computed from sorted lists, so the bytes are the same on
//! every run. Text uses a monospace family (widths are predictable, labels are cut with
//! "…" to fit) and is XML-escaped. The picture holds ids and level keys only, no sentences,
//! so one file serves every language; the documents explain the colours in their words.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::analysis::map::DataMap;
use crate::taxonomy::Level;

use super::view::View;

const BOX_W: u32 = 220;
const BOX_H: u32 = 46;
const GAP_X: u32 = 56;
const GAP_Y: u32 = 18;
const MARGIN: u32 = 16;
const CHAR_W: f32 = 6.6;
const LEGEND_H: u32 = 40;

/// Fill and stroke per level.
fn colours(level: Level) -> (&'static str, &'static str) {
    match level {
        Level::Content => ("#f8d7da", "#b02a37"),
        Level::Personal => ("#ffe5cc", "#b35900"),
        Level::Pseudonymous => ("#fff3cd", "#8a6d00"),
        Level::None => ("#e2e3e5", "#5c636a"),
    }
}

/// One box.
struct Node {
    label: String,
    level: Level,
    dashed: bool,
}

/// Renders the picture.
pub fn svg(map: &DataMap, view: &View) -> String {
    let mut sources: BTreeMap<String, Level> = BTreeMap::new();
    let mut collectors: BTreeMap<String, Level> = BTreeMap::new();
    let mut depth: BTreeMap<String, usize> = BTreeMap::new();
    let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
    let mut dests: Vec<Node> = Vec::new();
    for (d, v) in map.destinations.iter().zip(&view.destinations) {
        let level = v.max_level;
        let hops: Vec<String> = d
            .route
            .iter()
            .filter_map(|h| h.strip_prefix("collector "))
            .map(|h| format!("c:{}", h.split(' ').next().unwrap_or(h)))
            .collect();
        let srcs: BTreeSet<&str> = d.records.iter().map(|r| r.source.as_str()).collect();
        for s in &srcs {
            let e = sources.entry((*s).to_string()).or_insert(Level::None);
            *e = (*e).max(level);
        }
        for (i, h) in hops.iter().enumerate() {
            let e = collectors.entry(h.clone()).or_insert(Level::None);
            *e = (*e).max(level);
            let d = depth.entry(h.clone()).or_insert(0);
            *d = (*d).max(i);
        }
        let target = format!("d:{}", d.id);
        let mut chain: Vec<String> = hops;
        chain.push(target);
        for s in &srcs {
            edges.insert((format!("s:{s}"), chain[0].clone()));
        }
        for pair in chain.windows(2) {
            edges.insert((pair[0].clone(), pair[1].clone()));
        }
        dests.push(Node {
            label: d.id.clone(),
            level,
            dashed: !d.leaves_device,
        });
    }
    let to_nodes = |m: &BTreeMap<String, Level>| -> Vec<Node> {
        m.iter()
            .map(|(k, l)| Node {
                label: k.clone(),
                level: *l,
                dashed: false,
            })
            .collect()
    };
    let mut columns: Vec<(char, Vec<Node>)> = vec![('s', to_nodes(&sources))];
    // One column per hop depth, so a laptop agent stands before the gateway it feeds.
    let deepest = depth.values().copied().max();
    for col in 0..deepest.map_or(0, |d| d + 1) {
        let nodes = collectors
            .iter()
            .filter(|(k, _)| depth.get(*k) == Some(&col))
            .map(|(k, l)| Node {
                label: k.trim_start_matches("c:").to_string(),
                level: *l,
                dashed: false,
            })
            .collect();
        columns.push(('c', nodes));
    }
    columns.push(('d', dests));
    draw(&columns, &edges)
}

fn draw(columns: &[(char, Vec<Node>)], edges: &BTreeSet<(String, String)>) -> String {
    let rows = columns
        .iter()
        .map(|(_, n)| n.len())
        .max()
        .unwrap_or(1)
        .max(1) as u32;
    let width = MARGIN * 2 + columns.len() as u32 * BOX_W + (columns.len() as u32 - 1) * GAP_X;
    let body_h = rows * BOX_H + (rows - 1) * GAP_Y;
    let height = MARGIN * 2 + body_h + LEGEND_H;
    let mut pos: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut boxes = String::new();
    for (col, (kind, nodes)) in columns.iter().enumerate() {
        let x = MARGIN + col as u32 * (BOX_W + GAP_X);
        let col_h = nodes.len() as u32 * (BOX_H + GAP_Y);
        let top = MARGIN + (body_h + GAP_Y).saturating_sub(col_h) / 2;
        for (row, n) in nodes.iter().enumerate() {
            let y = top + row as u32 * (BOX_H + GAP_Y);
            pos.insert(format!("{kind}:{}", n.label), (x, y));
            draw_box(&mut boxes, x, y, n);
        }
    }
    let mut lines = String::new();
    for (from, to) in edges {
        if let (Some(&(x1, y1)), Some(&(x2, y2))) = (pos.get(from), pos.get(to)) {
            let (sx, sy) = (x1 + BOX_W, y1 + BOX_H / 2);
            let (ex, ey) = (x2 - 6, y2 + BOX_H / 2);
            let mid = (sx + ex) / 2;
            let _ = writeln!(
                lines,
                "<path d=\"M{sx},{sy} C{mid},{sy} {mid},{ey} {ex},{ey}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"/>"
            );
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"otel-dpia-flow-title\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"11\">"
    );
    out.push_str("<title id=\"otel-dpia-flow-title\">otel-dpia data flow: source → collector → destination</title>\n");
    out.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n");
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );
    out.push_str(&lines);
    out.push_str(&boxes);
    legend(&mut out, MARGIN, MARGIN * 2 + body_h + 8);
    out.push_str("</svg>\n");
    out
}

fn draw_box(out: &mut String, x: u32, y: u32, n: &Node) {
    let (fill, stroke) = colours(n.level);
    let dash = if n.dashed {
        " stroke-dasharray=\"5 3\""
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.6\"{dash}/>"
    );
    let max = ((BOX_W - 16) as f32 / CHAR_W) as usize;
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-weight=\"bold\" fill=\"#111\">{}</text>",
        x + 8,
        y + 19,
        xml(&fit(&n.label, max))
    );
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" fill=\"{stroke}\">{}</text>",
        x + 8,
        y + 36,
        n.level.key()
    );
}

fn legend(out: &mut String, x: u32, y: u32) {
    let mut cx = x;
    for level in Level::ALL.iter().rev() {
        let (fill, stroke) = colours(*level);
        let _ = writeln!(
            out,
            "<rect x=\"{cx}\" y=\"{y}\" width=\"18\" height=\"14\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\"/><text x=\"{}\" y=\"{}\" fill=\"#111\">{}</text>",
            cx + 24,
            y + 11,
            level.key()
        );
        cx += 24 + (level.key().len() as f32 * CHAR_W) as u32 + 24;
    }
}

/// Cuts a label to `max` characters, ending in "…".
fn fit(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_string();
    }
    let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// Escapes text for XML.
pub fn xml(text: &str) -> String {
    super::html::escape_html(text)
}
