//! Deutsch: der Ton des Datenschutzhinweises (Sie-Form, einfache Wörter, kurze Sätze).

use super::super::discover::Role;
use super::super::view::{Decided, Place, Setter};
use super::Words;

/// German.
pub struct De;

fn by(s: Setter) -> &'static str {
    match s {
        Setter::Employer => "die verwalteten Einstellungen Ihres Arbeitgebers",
        Setter::EmployerDefault => {
            "einen Standardwert, den Ihr Arbeitgeber auf diesem Rechner gesetzt hat"
        }
        Setter::Own => "Ihre eigenen Einstellungen",
        Setter::Repository => "die Einstellungen eines Repositorys",
        Setter::Environment => "die Umgebung, in der der Assistent startet",
        Setter::CommandLine => "die Befehlszeile des Assistenten",
        Setter::Default => "niemanden (es ist die Voreinstellung des Assistenten)",
    }
}

impl Words for De {
    fn title(&self, agent: &str) -> String {
        format!("== Was {agent} von diesem Rechner sendet")
    }

    fn telemetry(&self, on: bool, setter: Setter, fixed: bool) -> String {
        let state = if on { "EIN" } else { "AUS" };
        let lock = if fixed {
            "Sie können das selbst nicht ändern."
        } else if on {
            "Ihr Arbeitgeber hat diesen Schalter nicht festgelegt; wenn Sie ihn selbst ändern, verstoßen Sie womöglich gegen die Regeln Ihres Arbeitgebers, fragen Sie also vorher."
        } else {
            "Ihr Arbeitgeber hat diesen Schalter nicht festgelegt: Ihre eigenen Einstellungen oder die eines Repositorys könnten ihn einschalten."
        };
        format!(
            "Telemetrie (Angaben darüber, wie Sie den Assistenten nutzen, gesendet an Ihren Arbeitgeber) ist {state}. Gesetzt durch {}. {lock}",
            by(setter)
        )
    }

    fn where_heading(&self) -> &'static str {
        "Wohin es geht:"
    }

    fn place(&self, p: &Place) -> String {
        match (&p.host, p.leaves, p.local_relay) {
            (Some(h), true, true) => format!(
                "an ein Programm auf diesem Rechner ({h}); es kann die Daten weitergeben, gehen Sie also davon aus, dass sie diesen Rechner verlassen"
            ),
            (Some(h), true, false) => format!("an {h}; die Daten verlassen diesen Rechner"),
            (None, true, _) => {
                "an einen Ort, den die Einstellungen nicht nennen; gehen Sie davon aus, dass die Daten diesen Rechner verlassen".into()
            }
            (Some(h), false, _) => format!("an {h}; die Daten bleiben auf diesem Rechner"),
            (None, false, _) => "in eine Datei oder Ausgabe auf diesem Rechner; die Daten bleiben auf diesem Rechner".into(),
        }
    }

    fn no_place(&self) -> &'static str {
        "nirgendwohin: kein Ziel ist eingestellt, also verlässt keine Telemetrie diesen Rechner"
    }

    fn what_heading(&self) -> &'static str {
        "Was an Ihren Arbeitgeber geht:"
    }

    fn decided(&self, d: Decided) -> String {
        match d {
            Decided::Employer => "von Ihrem Arbeitgeber festgelegt".into(),
            Decided::By(Setter::Default) => {
                "Voreinstellung des Assistenten; Ihre eigenen Einstellungen oder die eines Repositorys könnten es ausschalten".into()
            }
            Decided::By(s) => format!("eingeschaltet durch {}", by(s)),
            Decided::Open => {
                "jetzt aus, aber Ihre eigenen Einstellungen oder die eines Repositorys können es einschalten".into()
            }
            Decided::WithTelemetry => "es gehört zur Telemetrie selbst".into(),
        }
    }

    fn who_heading(&self) -> &'static str {
        "Wer entscheidet:"
    }

    fn could_switch_on(&self, items: &str) -> String {
        format!(
            "Nicht von Ihrem Arbeitgeber festgelegt: {items}. Ihre eigene Einstellungsdatei oder die eines Repositorys, das Sie öffnen, kann dies einschalten; es geht dann an dieselben Orte."
        )
    }

    fn switched_on_outside(&self, items: &str) -> String {
        format!(
            "Außerhalb der verwalteten Einstellungen Ihres Arbeitgebers eingeschaltet: {items}. Wer es eingestellt hat (Sie, ein Repository oder die Umgebung), kann es wieder ausschalten."
        )
    }

    fn on_by_default(&self, items: &str) -> String {
        format!(
            "Durch die Voreinstellung des Assistenten eingeschaltet, nicht von Ihrem Arbeitgeber festgelegt: {items}. Ihre eigenen Einstellungen oder die eines Repositorys könnten dies ausschalten."
        )
    }

    fn fixed(&self, items: &str) -> String {
        format!(
            "Von Ihrem Arbeitgeber festgelegt: {items}. Ihre eigenen Einstellungen können das nicht ändern."
        )
    }

    fn vendor_heading(&self) -> &'static str {
        "Was der Anbieter in jedem Fall erhält:"
    }

    fn vendor_hosts(&self, hosts: &str, unnamed: bool) -> String {
        match (hosts.is_empty(), unnamed) {
            (true, _) => "die Dienste des Anbieters".into(),
            (false, true) => format!("{hosts} {} weitere Dienste des Anbieters", self.and()),
            (false, false) => hosts.to_string(),
        }
    }

    fn vendor(&self, agent: &str, hosts: &str, items: &str) -> String {
        let what = if items.is_empty() {
            String::new()
        } else {
            format!(" Was so beim Anbieter ankommen kann: {items}.")
        };
        format!(
            "Um überhaupt zu arbeiten, sendet {agent} Ihre Anfragen mit dem Code und den Dateien, an denen er arbeitet, an den KI-Dienst. Der Anbieter erhält außerdem einige Daten über die Nutzung des Produkts. Das ist keine Telemetrie an Ihren Arbeitgeber, und die Einstellungen oben ändern daran nichts. Es geht direkt von diesem Rechner an {hosts}.{what}"
        )
    }

    fn after_heading(&self) -> &'static str {
        "Was dieser Rechner Ihnen nicht zeigen kann:"
    }

    fn after(&self, host: &str) -> String {
        format!(
            "Was nach {host} (ein Collector oder ein Dienst) mit den Daten geschieht, ist von diesem Rechner aus nicht zu sehen. Fragen Sie die Datenschutz-Ansprechperson Ihres Arbeitgebers, was der Collector entfernt oder behält, wer die Daten lesen kann und wie lange sie gespeichert werden."
        )
    }

    fn after_unknown(&self) -> &'static str {
        "Wohin ein Teil der Daten geht, ist von diesem Rechner aus nicht zu sehen. Fragen Sie die Datenschutz-Ansprechperson Ihres Arbeitgebers, wohin sie gehen, wer sie lesen kann und wie lange sie gespeichert werden."
    }

    fn read_heading(&self) -> &'static str {
        "Gelesene Einstellungen:"
    }

    fn role(&self, r: Role) -> &'static str {
        match r {
            Role::Managed => "verwaltete Einstellungen Ihres Arbeitgebers",
            Role::SystemDefaults => "Standardwerte Ihres Arbeitgebers; Sie können sie ändern",
            Role::User => "Ihre eigenen Einstellungen",
            Role::Project => "Einstellungen dieses Repositorys",
        }
    }

    fn env(&self, count: usize) -> String {
        let s = if count == 1 { "Variable" } else { "Variablen" };
        format!(
            "Außerdem gelesen: {count} Telemetrie-{s} der Umgebung (die Werte werden nicht gezeigt)."
        )
    }

    fn absent(&self, agent: &str) -> String {
        format!(
            "{agent}: keine Einstellungen auf diesem Rechner gefunden; nichts hier lässt ihn Telemetrie an Ihren Arbeitgeber senden."
        )
    }

    fn nothing(&self) -> &'static str {
        "Auf diesem Rechner wurden keine Einstellungen von Claude Code, Codex CLI oder Gemini CLI gefunden.\n"
    }

    fn details(&self) -> (&'static str, &'static str) {
        ("Einstellungen", "Attribute")
    }

    fn no_secrets(&self) -> &'static str {
        "Geheimnisse (Tokens, Schlüssel, Header-Werte) werden nie gezeigt."
    }

    fn and(&self) -> &'static str {
        "und"
    }
}
