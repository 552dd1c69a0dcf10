//! Country codes as data: the assigned ISO 3166-1 alpha-2 codes, and which of them are in
//! the European Economic Area (where GDPR Chapter V transfer rules do not apply).

/// Every officially assigned ISO 3166-1 alpha-2 code (249), sorted.
const ISO_ALPHA2: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// The EEA: the 27 EU member states plus Iceland, Liechtenstein and Norway. Sorted.
pub const EEA: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS",
    "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Whether a code is an assigned ISO 3166-1 alpha-2 code.
pub fn is_iso_alpha2(code: &str) -> bool {
    ISO_ALPHA2.binary_search(&code).is_ok()
}

/// Whether a country is in the EEA, so that data kept there is not a third-country transfer.
pub fn is_eea(code: &str) -> bool {
    EEA.binary_search(&code).is_ok()
}

/// The ISO code people often mean when they write a common non-ISO one (`UK`, `EL`).
pub fn iso_for_common_mistake(code: &str) -> Option<&'static str> {
    match code {
        "UK" => Some("GB"),
        "EL" => Some("GR"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_complete_and_consistent() {
        assert_eq!(ISO_ALPHA2.len(), 249);
        assert_eq!(EEA.len(), 30);
        assert!(ISO_ALPHA2.windows(2).all(|w| w[0] < w[1]));
        assert!(EEA.windows(2).all(|w| w[0] < w[1]));
        assert!(EEA.iter().all(|c| is_iso_alpha2(c)));
        assert!(is_eea("NL") && is_eea("NO") && !is_eea("US") && !is_eea("CH"));
        assert!(!is_iso_alpha2("UK") && iso_for_common_mistake("UK") == Some("GB"));
    }
}
