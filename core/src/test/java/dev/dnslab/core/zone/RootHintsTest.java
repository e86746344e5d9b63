package dev.dnslab.core.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.lab.AddressPlan;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/** One type writes and reads the named.root format. */
class RootHintsTest {
  @TempDir Path temp;

  @Test
  void readsBackWhatItWrites() throws Exception {
    Map<Name, List<InetAddress>> servers = new LinkedHashMap<>();
    servers.put(Name.fromConstantString("a.root-servers.net."),
        List.of(InetAddress.getByName("127.53.0.11"), InetAddress.getByName("fd53::11")));
    servers.put(Name.fromConstantString("b.root-servers.net."), List.of(InetAddress.getByName("127.53.0.12")));
    RootHints hints = new RootHints(servers);

    RootHints read = RootHints.load(Files.writeString(temp.resolve("named.root"), hints.toText()));

    assertThat(read).isEqualTo(hints);
  }

  @Test
  void writesTheLabRootInNamedRootColumns() {
    assertThat(RootHints.lab(AddressPlan.EMBEDDED).toText()).isEqualTo(
        ".                        3600000  NS  a.root-servers.net.\n"
            + "a.root-servers.net.      3600000  A   127.53.0.11\n");
  }

  @Test
  void labFileIsReadableHints() throws Exception {
    Path file = Files.writeString(temp.resolve("lab.hints"), RootHints.labFile(AddressPlan.EMBEDDED.withDnsPort(5353)));

    assertThat(Files.readString(file)).contains("; NOTE: the lab listens on port 5353");
    assertThat(RootHints.load(file)).isEqualTo(RootHints.lab(AddressPlan.EMBEDDED));
  }

  @Test
  void rejectsHintsWithoutRootNameServers() throws Exception {
    Path file = Files.writeString(temp.resolve("empty.hints"), "a.root-servers.net. 3600000 A 127.53.0.11\n");

    assertThatThrownBy(() -> RootHints.load(file))
        .isInstanceOf(IOException.class)
        .hasMessage(file + ": no \". NS\" records (expected: the root's name servers)");
  }
}
