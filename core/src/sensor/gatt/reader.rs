//! Little-endian reading and writing of characteristic values.

use super::ParseError;

/// Reads fields from a characteristic value, front to back.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    what: &'static str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// Starts reading `bytes`, a value of the characteristic `what`.
    pub(crate) fn new(what: &'static str, bytes: &'a [u8]) -> Self {
        Self { what, bytes, at: 0 }
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N], ParseError> {
        let end = self.at + N;
        let slice = self.bytes.get(self.at..end).ok_or(ParseError::TooShort {
            what: self.what,
            needed: end,
            got: self.bytes.len(),
        })?;
        self.at = end;
        let mut out = [0; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, ParseError> {
        Ok(self.take::<1>()?[0])
    }

    pub(crate) fn i8(&mut self) -> Result<i8, ParseError> {
        Ok(i8::from_le_bytes(self.take::<1>()?))
    }

    pub(crate) fn u16(&mut self) -> Result<u16, ParseError> {
        Ok(u16::from_le_bytes(self.take::<2>()?))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, ParseError> {
        Ok(u32::from_le_bytes(self.take::<4>()?))
    }

    pub(crate) fn u48(&mut self) -> Result<u64, ParseError> {
        let b = self.take::<6>()?;
        Ok(u64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], 0, 0,
        ]))
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.at..).unwrap_or_default()
    }

    /// Fails when bytes are left over.
    pub(crate) fn finish(self) -> Result<(), ParseError> {
        if self.at == self.bytes.len() {
            Ok(())
        } else {
            Err(ParseError::TooLong {
                what: self.what,
                expected: self.at,
                got: self.bytes.len(),
            })
        }
    }
}

/// Appends a u48 in little-endian order (the top 16 bits of `value` are dropped).
pub(crate) fn put_u48(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes()[..6]);
}
