//! Byte counts as the command line takes them: `16777216`, `16MiB`, `512 KiB`, `2G`.

/// Reads a byte count: a whole number, optionally followed by a unit (`K`/`KiB`, `M`/`MiB`,
/// `G`/`GiB`, all powers of 1024, any case; `B` alone is bytes). Zero is refused: no file
/// could be read.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write a number of bytes, e.g. 16MiB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => {
            return Err(format!(
                "`{other}` is not a size unit: use KiB, MiB or GiB (powers of 1024)"
            ));
        }
    };
    match number.checked_mul(factor) {
        Some(0) => Err("the size must be at least one byte".to_string()),
        Some(n) => Ok(n),
        None => Err(format!("`{text}` is too large")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_units() {
        assert_eq!(parse_size("300"), Ok(300));
        assert_eq!(parse_size("16MiB"), Ok(16 << 20));
        assert_eq!(parse_size("512 kib"), Ok(512 << 10));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("1.5M").is_err());
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
