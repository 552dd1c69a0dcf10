//! "Did you mean …?" for unknown keys, ids and enum values.

/// The closest candidate to `input`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(distance, c)| *distance <= (c.chars().count() / 3).clamp(1, 3))
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["receivers", "processors", "exporters", "service"];
        assert_eq!(did_you_mean("recievers", keys), Some("receivers"));
        assert_eq!(did_you_mean("Service", keys), Some("service"));
        assert_eq!(did_you_mean("pipelines", keys), None);
    }
}
