package io.lakehouseops.compact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HilbertIndexTest {

  /** Every cell of the grid gets its own index, and consecutive indexes are neighbouring cells. */
  private static void assertIsHilbertCurve(int dimensions, int bits) {
    int side = 1 << bits;
    int cells = 1 << (dimensions * bits);
    long[][] byIndex = new long[cells][];
    for (int cell = 0; cell < cells; cell++) {
      long[] point = new long[dimensions];
      for (int d = 0; d < dimensions; d++) {
        point[d] = (cell >> (d * bits)) & (side - 1);
      }
      long index = HilbertIndex.of(point, bits);
      assertThat(index).isBetween(0L, cells - 1L);
      assertThat(byIndex[(int) index]).as("cell of index %d", index).isNull();
      byIndex[(int) index] = point;
    }
    for (int i = 1; i < cells; i++) {
      long distance = 0;
      for (int d = 0; d < dimensions; d++) {
        distance += Math.abs(byIndex[i][d] - byIndex[i - 1][d]);
      }
      assertThat(distance).as("step from index %d to %d", i - 1, i).isEqualTo(1);
    }
  }

  @Test
  void twoDimensionsVisitEveryCellOnceStepByStep() {
    assertIsHilbertCurve(2, 1);
    assertIsHilbertCurve(2, 5);
  }

  @Test
  void threeAndFourDimensionsToo() {
    assertIsHilbertCurve(3, 3);
    assertIsHilbertCurve(4, 2);
  }

  @Test
  void startsAtTheOriginAndEndsOnAnEdge() {
    assertThat(HilbertIndex.of(new long[] {0, 0}, 4)).isZero();
    // The 2-d curve ends at a corner adjacent to its start: (side-1, 0) or (0, side-1).
    long last = (1L << 8) - 1;
    assertThat(HilbertIndex.of(new long[] {15, 0}, 4) == last || HilbertIndex.of(new long[] {0, 15}, 4) == last)
        .isTrue();
  }

  @Test
  void refusesMoreBitsThanALongHolds() {
    assertThatThrownBy(() -> HilbertIndex.of(new long[] {1, 2, 3}, 22)).isInstanceOf(IllegalArgumentException.class);
  }
}
