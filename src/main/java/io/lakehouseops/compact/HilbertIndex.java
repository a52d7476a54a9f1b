package io.lakehouseops.compact;

/**
 * A point's position on the Hilbert curve through a grid of n dimensions, `bits` bits each
 * (John Skilling's transform, "Programming the Hilbert curve", AIP Conf. Proc. 707, 2004).
 * Consecutive positions are always neighbouring cells, where the Z curve jumps across the
 * space at every carry: cut into equal runs (files), the curve's runs are more compact boxes,
 * so a range predicate on several columns touches fewer of them.
 */
final class HilbertIndex {
  private HilbertIndex() {}

  /** The index of the point (each coordinate in [0, 2^bits)); n * bits must be at most 63. */
  static long of(long[] point, int bits) {
    int n = point.length;
    if (n * bits > 63 || bits < 1) {
      throw new IllegalArgumentException(n + " coordinates of " + bits + " bits do not fit in a long");
    }
    long[] x = point.clone();
    long top = 1L << (bits - 1);
    // Undo the curve's rotations and reflections, from the coarsest level down.
    for (long q = top; q > 1; q >>= 1) {
      long lower = q - 1;
      for (int i = 0; i < n; i++) {
        if ((x[i] & q) != 0) {
          x[0] ^= lower;
        } else {
          long swap = (x[0] ^ x[i]) & lower;
          x[0] ^= swap;
          x[i] ^= swap;
        }
      }
    }
    // Gray-code the result.
    for (int i = 1; i < n; i++) {
      x[i] ^= x[i - 1];
    }
    long flip = 0;
    for (long q = top; q > 1; q >>= 1) {
      if ((x[n - 1] & q) != 0) {
        flip ^= q - 1;
      }
    }
    for (int i = 0; i < n; i++) {
      x[i] ^= flip;
    }
    // The index's bits, most significant first: each level's bit of every coordinate in turn.
    long index = 0;
    for (int bit = bits - 1; bit >= 0; bit--) {
      for (int i = 0; i < n; i++) {
        index = (index << 1) | ((x[i] >>> bit) & 1);
      }
    }
    return index;
  }
}
