package dev.dnslab.core.testing;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real authority server on 127.0.0.1 with free ports, for tests, and a dnsjava client for it.
 * Tests talk to it over real UDP and TCP sockets.
 */
public final class AuthorityFixture implements AutoCloseable {
  /** The project's zones folder, seen from a module directory (where surefire runs). */
  public static final Path LAB_ZONES = locateLabZones();

  private final AuthorityServer server;

  private AuthorityFixture(AuthorityServer server) {
    this.server = server;
  }

  public static AuthorityFixture start(String role, List<Path> zones) throws Exception {
    return start(config(role, zones));
  }

  public static AuthorityFixture start(AuthorityConfig config) throws Exception {
    return new AuthorityFixture(new AuthorityServer(config).start());
  }

  public static AuthorityConfig config(String role, List<Path> zones) {
    return AuthorityConfig.builder(role)
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .admin(new InetSocketAddress("127.0.0.1", 0))
        .zoneSources(zones)
        .build();
  }

  /** A lab role's zone folder, e.g. {@code labZones("tld")}. */
  public static Path labZones(String folder) {
    return LAB_ZONES.resolve(folder);
  }

  public AuthorityServer server() {
    return server;
  }

  public InetSocketAddress address() {
    return server.dnsAddress();
  }

  public SimpleResolver udp() {
    SimpleResolver resolver = new SimpleResolver(address());
    resolver.setTimeout(Duration.ofSeconds(3));
    resolver.setIgnoreTruncation(true);
    return resolver;
  }

  public SimpleResolver tcp() {
    SimpleResolver resolver = udp();
    resolver.setTCP(true);
    return resolver;
  }

  /** A UDP query with EDNS (dnsjava's default), RD clear as a resolver sends it. */
  public Message query(String name, int type) throws IOException {
    return udp().send(Message.newQuery(Record.newRecord(Name.fromString(name), type, org.xbill.DNS.DClass.IN)));
  }

  public Message query(String name) throws IOException {
    return query(name, Type.A);
  }

  @Override
  public void close() {
    server.close();
  }

  private static Path locateLabZones() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("zones");
      if (Files.isDirectory(candidate.resolve("root"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("cannot find the project's zones/ folder above " + Path.of("").toAbsolutePath());
  }
}
