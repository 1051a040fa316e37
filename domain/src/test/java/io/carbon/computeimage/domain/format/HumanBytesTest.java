package io.carbon.computeimage.domain.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class HumanBytesTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0 B",
    "999, 999 B",
    "1000, 1.0 kB",
    "1500, 1.5 kB",
    "999949, 999.9 kB",
    "999999, 1.0 MB",
    "1400000000, 1.4 GB",
    "3758096384, 3.8 GB",
    "2000000000000, 2.0 TB",
    "-1500, -1.5 kB"
  })
  void format_value_decimalUnitsOneDecimal(long bytes, String expected) {
    assertThat(HumanBytes.format(bytes)).isEqualTo(expected);
  }
}
