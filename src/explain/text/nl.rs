//! Nederlands: de toon van de privacyverklaring (je-vorm, gewone woorden, korte zinnen).

use super::super::discover::Role;
use super::super::view::{Decided, Place, Setter};
use super::Words;

/// Dutch.
pub struct Nl;

fn by(s: Setter) -> &'static str {
    match s {
        Setter::Employer => "de beheerde instellingen van je werkgever",
        Setter::EmployerDefault => {
            "een standaardwaarde die je werkgever op deze computer heeft gezet"
        }
        Setter::Own => "je eigen instellingen",
        Setter::Repository => "de instellingen van een repository",
        Setter::Environment => "de omgeving waarin de assistent start",
        Setter::CommandLine => "de opdrachtregel van de assistent",
        Setter::Default => "niemand (het is de standaard van de assistent)",
    }
}

impl Words for Nl {
    fn title(&self, agent: &str) -> String {
        format!("== Wat {agent} op deze computer verstuurt")
    }

    fn telemetry(&self, on: bool, setter: Setter, fixed: bool) -> String {
        let state = if on { "AAN" } else { "UIT" };
        let lock = if fixed {
            "Je kunt dit zelf niet veranderen."
        } else if on {
            "Je werkgever heeft deze schakelaar niet vastgezet; als je hem zelf verandert, overtreed je misschien de regels van je werkgever, dus vraag het eerst."
        } else {
            "Je werkgever heeft deze schakelaar niet vastgezet: je eigen instellingen of de instellingen van een repository kunnen hem aanzetten."
        };
        format!(
            "Telemetrie (informatie over hoe je de assistent gebruikt, verstuurd naar je werkgever) staat {state}. Dit is ingesteld door {}. {lock}",
            by(setter)
        )
    }

    fn where_heading(&self) -> &'static str {
        "Waar het heen gaat:"
    }

    fn place(&self, p: &Place) -> String {
        match (&p.host, p.leaves, p.local_relay) {
            (Some(h), true, true) => format!(
                "naar een programma op deze computer ({h}); dat kan de gegevens doorsturen, dus reken erop dat ze deze computer verlaten"
            ),
            (Some(h), true, false) => format!("naar {h}; het verlaat deze computer"),
            (None, true, _) => {
                "naar een plek die de instellingen niet noemen; reken erop dat het deze computer verlaat".into()
            }
            (Some(h), false, _) => format!("naar {h}; het blijft op deze computer"),
            (None, false, _) => "naar een bestand of uitvoer op deze computer; het blijft op deze computer".into(),
        }
    }

    fn no_place(&self) -> &'static str {
        "nergens heen: er is geen bestemming ingesteld, dus er verlaat geen telemetrie deze computer"
    }

    fn what_heading(&self) -> &'static str {
        "Wat er naar je werkgever gaat:"
    }

    fn decided(&self, d: Decided) -> String {
        match d {
            Decided::Employer => "vastgezet door je werkgever".into(),
            Decided::By(Setter::Default) => {
                "de standaard van de assistent; je eigen instellingen of die van een repository kunnen het uitzetten".into()
            }
            Decided::By(s) => format!("aangezet door {}", by(s)),
            Decided::Open => {
                "nu uit, maar je eigen instellingen of de instellingen van een repository kunnen het aanzetten".into()
            }
            Decided::WithTelemetry => "het hoort bij de telemetrie zelf".into(),
        }
    }

    fn who_heading(&self) -> &'static str {
        "Wie beslist:"
    }

    fn could_switch_on(&self, items: &str) -> String {
        format!(
            "Niet vastgezet door je werkgever: {items}. Je eigen instellingenbestand, of dat van een repository die je opent, kan dit aanzetten; het gaat dan naar dezelfde plekken."
        )
    }

    fn switched_on_outside(&self, items: &str) -> String {
        format!(
            "Aangezet buiten de beheerde instellingen van je werkgever: {items}. Wie dit heeft ingesteld (jij, een repository of de omgeving), kan het weer uitzetten."
        )
    }

    fn on_by_default(&self, items: &str) -> String {
        format!(
            "Aan door de standaard van de assistent, niet vastgezet door je werkgever: {items}. Je eigen instellingen of die van een repository kunnen dit uitzetten."
        )
    }

    fn fixed(&self, items: &str) -> String {
        format!(
            "Vastgezet door je werkgever: {items}. Je eigen instellingen kunnen dit niet veranderen."
        )
    }

    fn vendor_heading(&self) -> &'static str {
        "Wat de leverancier hoe dan ook ontvangt:"
    }

    fn vendor_hosts(&self, hosts: &str, unnamed: bool) -> String {
        match (hosts.is_empty(), unnamed) {
            (true, _) => "de diensten van de leverancier".into(),
            (false, true) => format!("{hosts} {} andere diensten van de leverancier", self.and()),
            (false, false) => hosts.to_string(),
        }
    }

    fn vendor(&self, agent: &str, hosts: &str, items: &str) -> String {
        let what = if items.is_empty() {
            String::new()
        } else {
            format!(" Wat zo bij de leverancier kan komen: {items}.")
        };
        format!(
            "Om te kunnen werken stuurt {agent} je vragen, met de code en bestanden waaraan hij werkt, naar de AI-dienst. De leverancier ontvangt ook wat gegevens over het gebruik van het product. Dit is geen telemetrie naar je werkgever, en de instellingen hierboven veranderen het niet. Het gaat rechtstreeks vanaf deze computer naar {hosts}.{what}"
        )
    }

    fn after_heading(&self) -> &'static str {
        "Wat deze computer je niet kan laten zien:"
    }

    fn after(&self, host: &str) -> String {
        format!(
            "Wat er na {host} (een collector of een dienst) met de gegevens gebeurt, is vanaf deze computer niet te zien. Vraag de privacycontactpersoon van je werkgever wat de collector weghaalt of bewaart, wie de gegevens kan lezen en hoe lang ze worden bewaard."
        )
    }

    fn after_unknown(&self) -> &'static str {
        "Waar een deel van de gegevens heen gaat, is vanaf deze computer niet te zien. Vraag de privacycontactpersoon van je werkgever waar het heen gaat, wie het kan lezen en hoe lang het wordt bewaard."
    }

    fn read_heading(&self) -> &'static str {
        "Gelezen instellingen:"
    }

    fn role(&self, r: Role) -> &'static str {
        match r {
            Role::Managed => "beheerde instellingen van je werkgever",
            Role::SystemDefaults => "standaardwaarden van je werkgever; je kunt ze veranderen",
            Role::User => "je eigen instellingen",
            Role::Project => "instellingen van deze repository",
        }
    }

    fn env(&self, count: usize) -> String {
        let s = if count == 1 {
            "variabele"
        } else {
            "variabelen"
        };
        format!(
            "Ook gelezen: {count} telemetrie-{s} uit de omgeving (de waarden worden niet getoond)."
        )
    }

    fn absent(&self, agent: &str) -> String {
        format!(
            "{agent}: geen instellingen gevonden op deze computer; niets hier laat het telemetrie naar je werkgever sturen."
        )
    }

    fn nothing(&self) -> &'static str {
        "Er zijn op deze computer geen instellingen van Claude Code, Codex CLI of Gemini CLI gevonden.\n"
    }

    fn details(&self) -> (&'static str, &'static str) {
        ("instellingen", "attributen")
    }

    fn no_secrets(&self) -> &'static str {
        "Geheimen (tokens, sleutels, waarden van headers) worden nooit getoond."
    }

    fn and(&self) -> &'static str {
        "en"
    }
}
