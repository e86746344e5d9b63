package dev.dnslab.junit.matrix;

import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.zone.RootHints;
import dev.dnslab.junit.Lab;
import dev.dnslab.recursor.DnssecValidation;
import dev.dnslab.recursor.RecursorConfig;
import dev.dnslab.recursor.iterator.ServeStale;
import dev.dnslab.recursor.RecursorServer;
import dev.dnslab.recursor.iterator.MinimisedQueryType;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * dnslab's own recursor, in this JVM, configured like the Debian resolvers: only the lab root as
 * hints, upstream queries allowed only to the lab's /24, and validating from the lab's trust anchor
 * file or not validating at all.
 */
final class DnslabRecursor implements ResolverUnderTest {
  private final MinimisedQueryType minimisedQueryType;
  private final boolean validating;
  private boolean serveStale;
  private RecursorServer server;

  /** The recursor as it ships, not validating: QNAME minimisation with A questions (RFC 9156 2.1). */
  DnslabRecursor() {
    this(MinimisedQueryType.A, false);
  }

  /** Not validating, minimising with {@code minimisedQueryType} questions. */
  DnslabRecursor(MinimisedQueryType minimisedQueryType) {
    this(minimisedQueryType, false);
  }

  /** @param validating whether it validates from the lab's anchor, read from {@link Lab#trustAnchorFile()} */
  DnslabRecursor(boolean validating) {
    this(MinimisedQueryType.A, validating);
  }

  DnslabRecursor(MinimisedQueryType minimisedQueryType, boolean validating) {
    this.minimisedQueryType = minimisedQueryType;
    this.validating = validating;
  }

  /** This recursor with serve-stale (RFC 8767) on, as {@code --serve-stale} turns it on. */
  DnslabRecursor servingStale() {
    serveStale = true;
    return this;
  }

  @Override
  public String name() {
    return "dnslab-recursor";
  }

  @Override
  public void start(Lab lab, Path dir) throws Exception {
    // Port 53 beside the lab when it runs there; otherwise any free port, like the lab's own.
    InetSocketAddress listen = new InetSocketAddress(lab.address(RESOLVER_HOST), lab.port() == 53 ? 53 : 0);
    RecursorConfig config = RecursorConfig.builder()
        .listen(listen)
        .admin(new InetSocketAddress(listen.getAddress(), 0))
        .rootHints(RootHints.single(Name.fromString("a.root-servers.net."), lab.root().getAddress()))
        .upstreamPort(lab.port())
        .minimisedQueryType(minimisedQueryType)
        .allowedUpstreams(List.of(Cidr.parse(lab.network())))
        .labNetworks(List.of(Cidr.parse(lab.network())))
        .stateDir(dir)
        .threads(1)
        .dnssec(validating ? DnssecValidation.anchorFile(lab.trustAnchorFile()) : DnssecValidation.off())
        .serveStale(serveStale ? ServeStale.RFC_8767 : null)
        .build();
    server = new RecursorServer(config).start();
  }

  @Override
  public InetSocketAddress address() {
    return server.dnsAddress();
  }

  @Override
  public String log() {
    return "(in-process; see the test output)";
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
