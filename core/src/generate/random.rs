//! Seeded random streams for the generator.
//!
//! Every stream is ChaCha8 keyed by the run's seed, with a stream number
//! that names what the stream is for (the population, one user's schedule,
//! one day, one user's shift on one day, the planted cases). Streams are
//! independent, so a day or a shift can be drawn without drawing anything
//! before it, and the draws use only the raw 64-bit output of ChaCha, so
//! they do not change when `rand`'s distribution code changes.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Fills the key after the seed's eight bytes, so the generator's streams
/// differ from any other use of ChaCha with the same seed.
const DOMAIN: &[u8; 24] = b"loggvakt/generate/v1\0\0\0\0";

/// What a stream is used for: the top byte of its stream number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    /// Roles and shifts of the users.
    Population = 1,
    /// Which days one user works.
    Schedule = 2,
    /// Who mistypes a password on one day.
    Day = 3,
    /// One user's shift starting on one day.
    Shift = 4,
    /// The planted violations and near misses.
    Plants = 5,
}

/// The key from which every stream of one run is drawn.
#[derive(Debug, Clone)]
pub(super) struct Streams {
    key: [u8; 32],
}

impl Streams {
    /// The streams of the run with `seed`.
    pub(super) fn new(seed: u64) -> Streams {
        let mut key = [0_u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[8..].copy_from_slice(DOMAIN);
        Streams { key }
    }

    /// The stream for `purpose`, numbered by a `day` slot and a `user`.
    pub(super) fn stream(&self, purpose: Purpose, day: u64, user: usize) -> Draw {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream(stream_number(purpose, day, user));
        Draw { rng }
    }
}

/// Packs purpose (8 bits), day slot (24 bits) and user (32 bits).
fn stream_number(purpose: Purpose, day: u64, user: usize) -> u64 {
    let user = (user as u64) & 0xffff_ffff;
    ((purpose as u64) << 56) | ((day & 0xff_ffff) << 32) | user
}

/// Draws from one stream.
#[derive(Debug, Clone)]
pub(super) struct Draw {
    rng: ChaCha8Rng,
}

impl Draw {
    /// A number in `0..n`; 0 when `n` is 0.
    pub(super) fn below(&mut self, n: usize) -> usize {
        let wide = u128::from(self.rng.next_u64()) * (n as u128);
        (wide >> 64) as usize
    }

    /// A number in `low..=high`; `low` when the range is empty.
    pub(super) fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high.saturating_sub(low).saturating_add(1))
    }

    /// A number in `[0, 1)` with 53 random bits.
    pub(super) fn fraction(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }

    /// True with probability `p`.
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.fraction() < p
    }

    /// An index chosen with the given relative weights; 0 when all are 0.
    pub(super) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut left = self.below(total as usize) as u32;
        for (index, weight) in weights.iter().enumerate() {
            if left < *weight {
                return index;
            }
            left -= weight;
        }
        0
    }

    /// One of `items`, chosen by the weight beside it; `T::default()` when
    /// there are none.
    pub(super) fn weighted_item<T: Copy + Default>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, weight)| weight).sum();
        let mut left = self.below(total as usize) as u32;
        for (item, weight) in items {
            if left < *weight {
                return *item;
            }
            left -= weight;
        }
        T::default()
    }

    /// The items in a random order.
    pub(super) fn shuffle<T>(&mut self, items: &mut [T]) {
        for last in (1..items.len()).rev() {
            let other = self.below(last + 1);
            items.swap(last, other);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let streams = Streams::new(7);
        let a: Vec<usize> = (0..8)
            .map(|_| streams.stream(Purpose::Day, 3, 0).below(1000))
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut one = streams.stream(Purpose::Day, 3, 0);
        let mut two = streams.stream(Purpose::Day, 4, 0);
        let first: Vec<usize> = (0..8).map(|_| one.below(1 << 30)).collect();
        let second: Vec<usize> = (0..8).map(|_| two.below(1 << 30)).collect();
        assert_ne!(first, second);
    }

    #[test]
    fn ranges_stay_inside() {
        let mut draw = Streams::new(1).stream(Purpose::Plants, 0, 0);
        for _ in 0..1000 {
            assert!(draw.below(7) < 7);
            assert!((3..=5).contains(&draw.between(3, 5)));
            assert!((0.0..1.0).contains(&draw.fraction()));
            assert_eq!(draw.weighted(&[0, 5, 0]), 1);
        }
        assert_eq!(draw.below(0), 0);
        assert_eq!(draw.between(4, 2), 4);
    }
}
