//! ISO 8601 UTC instants ("2025-06-20", "2025-06-20T10:00:00Z", "…T10:00:00.123Z", "…+00:00") to epoch ms.
use teezk_zk_core::{Error, ErrorCode};

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

pub fn parse_iso_ms(text: &str) -> Result<u64, Error> {
    let bad = || Error::new(ErrorCode::CONFIG_INVALID, format!("--at {text:?} is not an ISO 8601 UTC time (e.g. 2025-06-20T00:00:00Z)"));
    let t = text.trim();
    let num = |s: &str| -> Result<i64, Error> { if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) { s.parse().map_err(|_| bad()) } else { Err(bad()) } };
    let (date, time) = match t.split_once(['T', ' ']) {
        Some((d, rest)) => (d, Some(rest)),
        None => (t, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 {
        return Err(bad());
    }
    let (y, mo, d) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    let mut ms = 0i64;
    if let Some(rest) = time {
        let rest = rest.strip_suffix('Z').or_else(|| rest.strip_suffix("+00:00")).ok_or_else(bad)?;
        let (hms, frac) = match rest.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (rest, None),
        };
        let hp: Vec<&str> = hms.split(':').collect();
        if hp.len() < 2 || hp.len() > 3 {
            return Err(bad());
        }
        let (h, mi) = (num(hp[0])?, num(hp[1])?);
        let s = if hp.len() == 3 { num(hp[2])? } else { 0 };
        if h > 23 || mi > 59 || s > 60 {
            return Err(bad());
        }
        ms = ((h * 60 + mi) * 60 + s) * 1000;
        if let Some(f) = frac {
            let f3: String = f.chars().chain("000".chars()).take(3).collect();
            ms += num(&f3)?;
            num(f)?;
        }
    }
    let total = days_from_civil(y, mo, d) * 86_400_000 + ms;
    u64::try_from(total).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_iso_instants() {
        assert_eq!(super::parse_iso_ms("1970-01-01T00:00:00Z").unwrap(), 0);
        assert_eq!(super::parse_iso_ms("2025-06-20T00:00:00Z").unwrap(), 1_750_377_600_000);
        assert_eq!(super::parse_iso_ms("2024-02-29T12:34:56.789Z").unwrap(), 1_709_210_096_789);
        assert!(super::parse_iso_ms("2025-13-01").is_err());
        assert!(super::parse_iso_ms("yesterday").is_err());
    }
}
