package io.carbon.computeimage.adapter.distro.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class DirectoryListingTest {
  @Test
  void parse_nginxAutoindex_givesFilesAndDirectories() {
    String html =
        "<html><head><title>Index of /images/</title></head><body><h1>Index of /images/</h1><hr><pre>"
            + "<a href=\"../\">../</a>\n"
            + "<a href=\"latest/\">latest/</a>         01-Jan-2025 00:00    -\n"
            + "<a href=\"v20250101.300000/\">v20250101.300000/</a> 01-Jan-2025 00:00 -\n"
            + "<a href=\"Arch%20Linux.txt\">Arch Linux.txt</a> 01-Jan-2025 00:00 12\n"
            + "</pre><hr></body></html>";

    assertThat(DirectoryListing.parse(html))
        .containsExactly("latest/", "v20250101.300000/", "Arch Linux.txt");
  }

  @Test
  void parse_apacheWithSortLinksAndAbsoluteParent_skipsThem() {
    String html =
        "<table><tr><th><a href=\"?C=N;O=D\">Name</a></th></tr>"
            + "<tr><td><a href=\"/releases/\">Parent Directory</a></td></tr>"
            + "<tr><td><a href='release-20250301/'>release-20250301/</a></td></tr>"
            + "<tr><td><A HREF=\"https://example.org/x.qcow2\">x</A></td></tr>"
            + "<tr><td><a href=\"/releases/noble/release-20250115/\">release-20250115/</a></td></tr></table>";

    List<String> names = DirectoryListing.parse(html);

    assertThat(names).contains("release-20250301/", "release-20250115/", "x.qcow2");
    assertThat(names).noneMatch(n -> n.startsWith("?"));
  }

  @Test
  void builds_newest_comparesNumerically() {
    assertThat(BuildOrder.newest(List.of("3.22.9", "3.22.10", "3.22.2"))).contains("3.22.10");
    assertThat(BuildOrder.newest(List.of("1.9", "1.10"))).contains("1.10");
    assertThat(BuildOrder.newest(List.of("20250101", "20250101.1"))).contains("20250101.1");
    assertThat(BuildOrder.newest(List.of())).isEmpty();
  }
}
